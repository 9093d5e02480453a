from __future__ import annotations

from typing import Any

from mlops_platform.policies.sagemaker.endpoint_rollback_alarms import POLICY
from tests.policies.harness import Stack, changed, drop_at, set_at
from tests.policies.sagemaker._fixtures import ALARM, ALARM_TYPE, ENDPOINT, ENDPOINT_TYPE


def stack(alarm: dict[str, Any] = ALARM, endpoint: dict[str, Any] = ENDPOINT) -> Stack:
    s = Stack()
    s.add(ALARM_TYPE, "errors", alarm)
    s.add(ENDPOINT_TYPE, "serve", endpoint, deps={"deploymentConfig": "errors"})
    return s


def test_a_named_alarm_with_an_action_passes() -> None:
    assert stack().check(POLICY) == []


def test_an_alarm_that_is_not_in_the_stack() -> None:
    endpoint = changed(
        ENDPOINT, set_at("deploymentConfig.autoRollbackConfiguration.alarms.0.alarmName", "other")
    )
    s = stack(endpoint=endpoint)
    assert s.check(POLICY) == [
        (
            "Endpoint 'serve' rolls back on alarm 'other', which is not defined in this stack",
            s.resources[1].urn,
        )
    ]


def test_an_alarm_without_an_action() -> None:
    s = stack(changed(ALARM, drop_at("alarmActions")))
    assert s.check(POLICY) == [
        (
            "MetricAlarm 'errors' is a rollback alarm of Endpoint 'serve' but has no alarm "
            "action; add an SNS topic to alarm_actions",
            s.resources[0].urn,
        )
    ]


def test_an_alarm_whose_actions_are_disabled() -> None:
    s = stack(changed(ALARM, set_at("actionsEnabled", False)))
    assert [m for m, _ in s.check(POLICY)] == [
        "MetricAlarm 'errors' is a rollback alarm of Endpoint 'serve' but its actions are disabled"
    ]


def test_an_auto_named_alarm_the_endpoint_depends_on_is_found() -> None:
    endpoint = changed(
        ENDPOINT,
        set_at("deploymentConfig.autoRollbackConfiguration.alarms.0.alarmName", "errors-1a2b3c4"),
    )
    assert stack(changed(ALARM, drop_at("name")), endpoint).check(POLICY) == []
