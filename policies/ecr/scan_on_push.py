"""Every image pushed to a repository is scanned for vulnerabilities."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.values import dig, is_true
from mlops_platform.policies.ecr._repository import REPOSITORY

INFO = RuleInfo(
    name="aws-ecr-repository-scan-on-push",
    description="ECR repositories scan every image on push.",
    resource_types=(REPOSITORY,),
    severity=Severity.HIGH,
    controls=(Control.fsbp("ECR.1"),),
    remediation="Set image_scanning_configuration={'scan_on_push': True}.",
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    if not is_true(dig(args.props, "imageScanningConfiguration", "scanOnPush")):
        report("images are not scanned on push; set image_scanning_configuration.scan_on_push")


POLICY = ResourceRule(INFO, _check)
