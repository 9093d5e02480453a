from __future__ import annotations

from typing import Any

from mlops_platform.policies.cloudwatch.alarm_actions import POLICY
from tests.policies.harness import Stack, urn_of

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts"
COMPLIANT = {"name": "a-5xx", "alarmActions": [TOPIC], "threshold": 1}
NO_ACTION = (
    "the alarm has no alarm action and no notifying composite alarm names it; add an SNS topic "
    "to alarm_actions"
)
DISABLED = "the alarm's actions are disabled; remove actions_enabled=False"


def check(*alarms: tuple[str, str, dict[str, Any]]) -> list[tuple[str, str | None]]:
    stack = Stack()
    for type_, name, props in alarms:
        stack.add(type_, name, props)
    return stack.check(POLICY)


def composite(rule: str, **extra: Any) -> tuple[str, str, dict[str, Any]]:
    return (COMPOSITE, "unhealthy", {"alarmRule": rule, "alarmActions": [TOPIC], **extra})


def test_an_alarm_with_an_action_passes() -> None:
    assert check((ALARM, "a", COMPLIANT)) == []


def test_no_action() -> None:
    assert check((ALARM, "a", {"name": "a-5xx", "threshold": 1})) == [
        (NO_ACTION, urn_of(ALARM, "a"))
    ]


def test_actions_disabled() -> None:
    assert check((ALARM, "a", {**COMPLIANT, "actionsEnabled": False})) == [
        (DISABLED, urn_of(ALARM, "a"))
    ]


def test_composite_alarms_are_checked() -> None:
    assert check((COMPOSITE, "c", {})) == [(NO_ACTION, urn_of(COMPOSITE, "c"))]


def test_an_alarm_a_notifying_composite_names_passes_without_actions() -> None:
    child = (ALARM, "a", {"name": "a-5xx", "alarmActions": []})
    assert check(child, composite('ALARM("a-5xx") OR ALARM("a-latency")')) == []


def test_a_composite_that_does_not_name_the_alarm_does_not_cover_it() -> None:
    child = (ALARM, "a", {"name": "a-5xx"})
    assert check(child, composite('ALARM("b-5xx")')) == [(NO_ACTION, urn_of(ALARM, "a"))]


def test_a_silent_composite_covers_nothing() -> None:
    child = (ALARM, "a", {"name": "a-5xx"})
    silent = composite('ALARM("a-5xx")', actionsEnabled=False)
    assert check(child, silent) == [
        (NO_ACTION, urn_of(ALARM, "a")),
        (DISABLED, urn_of(COMPOSITE, "unhealthy")),
    ]
