"""Every alarm notifies someone when it fires."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import COMPOSITE_ALARM, METRIC_ALARM
from mlops_platform.policies.common.values import dig, is_false, is_set

INFO = RuleInfo(
    name="aws-cloudwatch-alarm-actions",
    description="CloudWatch alarms have an alarm action, and their actions are enabled.",
    resource_types=(METRIC_ALARM, COMPOSITE_ALARM),
    severity=Severity.MEDIUM,
    controls=(Control.fsbp("CloudWatch.15"), Control.fsbp("CloudWatch.17")),
    remediation="Add an SNS topic to alarm_actions and leave actions_enabled at its default, True.",
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    if not is_set(args.props, "alarmActions"):
        report("the alarm has no alarm action; add an SNS topic to alarm_actions")
    if is_false(dig(args.props, "actionsEnabled")):
        report("the alarm's actions are disabled; remove actions_enabled=False")


POLICY = ResourceRule(INFO, _check)
