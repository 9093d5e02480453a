"""Helm charts are pinned to a version, so a new chart release changes nothing unreviewed."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.values import dig, is_set

RELEASE = "kubernetes:helm.sh/v3:Release"
CHART = "kubernetes:helm.sh/v4:Chart"

INFO = RuleInfo(
    name="kubernetes-helm-release-version-pinned",
    description="Helm releases and charts pin the chart version.",
    resource_types=(RELEASE, CHART),
    severity=Severity.MEDIUM,
    remediation="Set version to the chart version that was reviewed.",
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    if not is_set(args.props, "version"):
        chart = dig(args.props, "chart")
        report(f"chart {chart!r} has no version; pin the reviewed version")


POLICY = ResourceRule(INFO, _check)
