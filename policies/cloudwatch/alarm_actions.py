"""Every alarm notifies someone when it fires, itself or through a composite alarm.

A metric alarm without actions is accepted when a composite alarm of the stack names it in its
rule and notifies: that is how one incident pages once instead of once per symptom.
"""

from __future__ import annotations

import re

from pulumi_policy import PolicyResource, Severity, StackValidationArgs

from mlops_platform.policies.common.rule import Control, RuleInfo, Settings, StackReport, StackRule
from mlops_platform.policies.common.stack import of_type
from mlops_platform.policies.common.types import COMPOSITE_ALARM, METRIC_ALARM
from mlops_platform.policies.common.values import dig, is_false, is_set

INFO = RuleInfo(
    name="aws-cloudwatch-alarm-actions",
    description=(
        "CloudWatch alarms have an alarm action, or are watched by a composite alarm that has "
        "one, and their actions are enabled."
    ),
    resource_types=(METRIC_ALARM, COMPOSITE_ALARM),
    severity=Severity.MEDIUM,
    controls=(Control.fsbp("CloudWatch.15"), Control.fsbp("CloudWatch.17")),
    remediation=(
        "Add an SNS topic to alarm_actions (or name the alarm in a composite alarm that has "
        "one) and leave actions_enabled at its default, True."
    ),
)
_CHILD = re.compile(r'ALARM\("([^"]+)"\)')


def _notifies(alarm: PolicyResource) -> bool:
    return is_set(alarm.props, "alarmActions") and not is_false(dig(alarm.props, "actionsEnabled"))


def _paged_through_composite(resources: list[PolicyResource]) -> set[str]:
    """Names of alarms that a notifying composite alarm names in its rule."""
    names: set[str] = set()
    for composite in of_type(resources, COMPOSITE_ALARM):
        rule = dig(composite.props, "alarmRule")
        if _notifies(composite) and isinstance(rule, str):
            names |= set(_CHILD.findall(rule))
    return names


def _check(args: StackValidationArgs, _settings: Settings, report: StackReport) -> None:
    resources = list(args.resources)
    covered = _paged_through_composite(resources)
    for alarm in of_type(resources, METRIC_ALARM, COMPOSITE_ALARM):
        if is_false(dig(alarm.props, "actionsEnabled")):
            report("the alarm's actions are disabled; remove actions_enabled=False", alarm.urn)
        name = dig(alarm.props, "name")
        if not is_set(alarm.props, "alarmActions") and not (
            alarm.resource_type == METRIC_ALARM and name in covered
        ):
            report(
                "the alarm has no alarm action and no notifying composite alarm names it; add "
                "an SNS topic to alarm_actions",
                alarm.urn,
            )


POLICY = StackRule(INFO, _check)
