"""A scheduled key deletion can be cancelled for long enough to notice it."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings, integer
from mlops_platform.policies.common.types import KMS_KEY
from mlops_platform.policies.common.values import as_number, dig, display

AWS_DEFAULT_WINDOW_DAYS = 30

INFO = RuleInfo(
    name="aws-kms-key-deletion-window",
    description="KMS keys wait long enough before deletion for a mistake to be cancelled.",
    resource_types=(KMS_KEY,),
    severity=Severity.MEDIUM,
    remediation="Set deletion_window_in_days to at least the environment's minimum (max 30).",
    params={"minimumDays": integer("Shortest deletion window allowed, in days.", 30, 7)},
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    window = as_number(dig(args.props, "deletionWindowInDays"))
    days = AWS_DEFAULT_WINDOW_DAYS if window is None else window
    if days < settings["minimumDays"]:
        report(
            f"the deletion window is {display(days)} days; at least "
            f"{display(settings['minimumDays'])} required"
        )


POLICY = ResourceRule(INFO, _check)
