"""Resources that hold data are protected from deletion by the engine."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common import types
from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings

STATEFUL = [
    *types.BUCKETS,
    types.DYNAMODB_TABLE,
    types.KMS_KEY,
    types.TRAIL,
    types.LOG_GROUP,
    types.SAGEMAKER_MODEL_PACKAGE_GROUP,  # the model registry: every version and its approval
]

INFO = RuleInfo(
    name="aws-governance-stateful-resource-protected",
    description="Buckets, tables, keys, trails and log groups are deployed with protect=True.",
    resource_types=tuple(STATEFUL),
    severity=Severity.HIGH,
    remediation=(
        "Create the resource with the component's stateful options (protect and "
        "retain_on_delete), which the stack's protectData turns on."
    ),
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    if not args.opts.protect:
        report("holds data but is not protected; deploy it with protect=True")


POLICY = ResourceRule(INFO, _check)
