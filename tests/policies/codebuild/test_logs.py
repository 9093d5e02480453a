from __future__ import annotations

from mlops_platform.policies.codebuild._project import PROJECT
from mlops_platform.policies.codebuild.logs import POLICY
from tests.policies.harness import check_resource

TO_GROUP = {"logsConfig": {"cloudwatchLogs": {"status": "ENABLED", "groupName": "/mlops/builds"}}}
NOWHERE = (
    "build logs go to neither a named CloudWatch Logs group nor S3; set cloudwatch_logs.group_name "
    "or enable s3_logs"
)


def test_a_named_group_passes() -> None:
    assert check_resource(POLICY, PROJECT, TO_GROUP) == []


def test_s3_logs_pass() -> None:
    props = {"logsConfig": {"s3Logs": {"status": "ENABLED", "location": "logs/builds"}}}
    assert check_resource(POLICY, PROJECT, props) == []


def test_no_logs_config() -> None:
    assert check_resource(POLICY, PROJECT, {}) == [
        "no logs_config; send build logs to a CloudWatch Logs group the platform owns"
    ]


def test_cloudwatch_disabled() -> None:
    props = {"logsConfig": {"cloudwatchLogs": {"status": "DISABLED", "groupName": "g"}}}
    assert check_resource(POLICY, PROJECT, props) == [NOWHERE]


def test_cloudwatch_without_a_group() -> None:
    props = {"logsConfig": {"cloudwatchLogs": {"status": "ENABLED"}}}
    assert check_resource(POLICY, PROJECT, props) == [NOWHERE]
