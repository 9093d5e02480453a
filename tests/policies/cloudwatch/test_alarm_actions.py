from __future__ import annotations

from mlops_platform.policies.cloudwatch.alarm_actions import POLICY
from tests.policies.harness import check_resource

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPLIANT = {"alarmActions": ["arn:aws:sns:us-east-1:123456789012:alerts"], "threshold": 1}


def test_an_alarm_with_an_action_passes() -> None:
    assert check_resource(POLICY, ALARM, COMPLIANT) == []


def test_no_action() -> None:
    assert check_resource(POLICY, ALARM, {"threshold": 1}) == [
        "the alarm has no alarm action; add an SNS topic to alarm_actions"
    ]


def test_actions_disabled() -> None:
    assert check_resource(POLICY, ALARM, {**COMPLIANT, "actionsEnabled": False}) == [
        "the alarm's actions are disabled; remove actions_enabled=False"
    ]


def test_composite_alarms_are_checked() -> None:
    assert check_resource(POLICY, "aws:cloudwatch/compositeAlarm:CompositeAlarm", {}) == [
        "the alarm has no alarm action; add an SNS topic to alarm_actions"
    ]
