from __future__ import annotations

from mlops_platform.policies.cloudtrail.kms import POLICY
from tests.policies.cloudtrail._fixtures import COMPLIANT, TRAIL
from tests.policies.harness import UNKNOWN, changed, check_resource, drop_at, set_at


def test_a_key_passes() -> None:
    assert check_resource(POLICY, TRAIL, COMPLIANT) == []


def test_a_key_unknown_during_preview_counts_as_set() -> None:
    assert check_resource(POLICY, TRAIL, changed(COMPLIANT, set_at("kmsKeyId", UNKNOWN))) == []


def test_no_key() -> None:
    assert check_resource(POLICY, TRAIL, changed(COMPLIANT, drop_at("kmsKeyId"))) == [
        "log files are encrypted with S3's default key only; set kms_key_id"
    ]
