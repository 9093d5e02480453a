from __future__ import annotations

from mlops_platform.policies.sfn.logging import POLICY, STATE_MACHINE
from tests.policies.harness import check_resource

LOGGING = {
    "loggingConfiguration": {
        "level": "ALL",
        "includeExecutionData": True,
        "logDestination": "arn:aws:logs:us-east-1:123456789012:log-group:sfn:*",
    }
}


def test_logging_all_passes() -> None:
    assert check_resource(POLICY, STATE_MACHINE, LOGGING) == []


def test_no_logging() -> None:
    assert check_resource(POLICY, STATE_MACHINE, {}) == [
        "execution logging is off; set logging_configuration.level to 'ALL'"
    ]


def test_error_level_where_all_is_required() -> None:
    props = {"loggingConfiguration": {**LOGGING["loggingConfiguration"], "level": "ERROR"}}
    assert check_resource(POLICY, STATE_MACHINE, props) == [
        "executions are logged at 'ERROR'; allowed: ALL"
    ]
    assert (
        check_resource(POLICY, STATE_MACHINE, props, config={"allowedLevels": ["ALL", "ERROR"]})
        == []
    )


def test_no_destination() -> None:
    props = {"loggingConfiguration": {"level": "ALL"}}
    assert check_resource(POLICY, STATE_MACHINE, props) == [
        "logging has no log_destination; name a CloudWatch Logs group"
    ]
