"""An image tag, once pushed, always names the same image."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.values import dig
from mlops_platform.policies.ecr._repository import REPOSITORY

INFO = RuleInfo(
    name="aws-ecr-repository-immutable-tags",
    description="ECR repositories make image tags immutable.",
    resource_types=(REPOSITORY,),
    severity=Severity.HIGH,
    controls=(Control.fsbp("ECR.2"),),
    remediation=(
        "Set image_tag_mutability='IMMUTABLE', so a tag (the commit a pipeline built) can never "
        "be pointed at another image."
    ),
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    mutability = dig(args.props, "imageTagMutability") or "MUTABLE"
    if mutability != "IMMUTABLE":
        report(
            f"image tag mutability is {mutability!r}: a pushed tag can be moved to another "
            "image; set it to 'IMMUTABLE'"
        )


POLICY = ResourceRule(INFO, _check)
