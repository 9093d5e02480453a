from __future__ import annotations

from mlops_platform.policies.dynamodb.point_in_time_recovery import POLICY
from tests.policies.harness import check_resource

TABLE = "aws:dynamodb/table:Table"


def test_recovery_on_passes() -> None:
    assert check_resource(POLICY, TABLE, {"pointInTimeRecovery": {"enabled": True}}) == []


def test_recovery_off() -> None:
    assert check_resource(POLICY, TABLE, {"hashKey": "id"}) == [
        "point-in-time recovery is off; set point_in_time_recovery.enabled=True"
    ]
