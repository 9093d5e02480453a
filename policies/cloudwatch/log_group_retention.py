"""Log groups keep their events for the environment's minimum period."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import (
    Control,
    Report,
    ResourceRule,
    RuleInfo,
    Settings,
    integer,
)
from mlops_platform.policies.common.types import LOG_GROUP
from mlops_platform.policies.common.values import as_number, dig, display

INFO = RuleInfo(
    name="aws-cloudwatch-log-group-retention",
    description="CloudWatch Logs groups keep events at least the environment's retention period.",
    resource_types=(LOG_GROUP,),
    severity=Severity.LOW,
    controls=(Control.fsbp("CloudWatch.16"),),
    remediation=(
        "Raise retention_in_days to the minimum (or leave it unset to keep events forever)."
    ),
    params={"minimumDays": integer("Shortest retention allowed, in days.", 365, 1)},
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    days = as_number(dig(args.props, "retentionInDays"))
    needed = settings["minimumDays"]
    if days is not None and 0 < days < needed:
        report(f"events are kept {display(days)} days; at least {display(needed)} required")


POLICY = ResourceRule(INFO, _check)
