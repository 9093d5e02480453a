from __future__ import annotations

from mlops_platform.policies.cloudwatch.log_group_retention import POLICY
from tests.policies.harness import check_resource

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


def test_a_year_passes() -> None:
    assert check_resource(POLICY, LOG_GROUP, {"retentionInDays": 365}) == []


def test_never_expiring_passes() -> None:
    assert check_resource(POLICY, LOG_GROUP, {}) == []


def test_too_short() -> None:
    assert check_resource(POLICY, LOG_GROUP, {"retentionInDays": 30}) == [
        "events are kept 30 days; at least 365 required"
    ]


def test_the_minimum_comes_from_config() -> None:
    props = {"retentionInDays": 30}
    assert check_resource(POLICY, LOG_GROUP, props, config={"minimumDays": 30}) == []
