"""Tables can be restored to any second of the recovery window."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import DYNAMODB_TABLE
from mlops_platform.policies.common.values import dig, is_true

INFO = RuleInfo(
    name="aws-dynamodb-table-point-in-time-recovery",
    description="DynamoDB tables have point-in-time recovery enabled.",
    resource_types=(DYNAMODB_TABLE,),
    severity=Severity.MEDIUM,
    controls=(Control.fsbp("DynamoDB.2"),),
    remediation="Set point_in_time_recovery.enabled=True.",
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    if not is_true(dig(args.props, "pointInTimeRecovery", "enabled")):
        report("point-in-time recovery is off; set point_in_time_recovery.enabled=True")


POLICY = ResourceRule(INFO, _check)
