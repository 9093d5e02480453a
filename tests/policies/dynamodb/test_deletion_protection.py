from __future__ import annotations

from mlops_platform.policies.dynamodb.deletion_protection import POLICY
from tests.policies.harness import check_resource

TABLE = "aws:dynamodb/table:Table"


def test_protection_on_passes() -> None:
    assert check_resource(POLICY, TABLE, {"deletionProtectionEnabled": True}) == []


def test_protection_off() -> None:
    assert check_resource(POLICY, TABLE, {"deletionProtectionEnabled": False}) == [
        "deletion protection is off; set deletion_protection_enabled=True"
    ]
