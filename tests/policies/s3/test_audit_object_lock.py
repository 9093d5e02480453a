from __future__ import annotations

from typing import Any

import pytest

from mlops_platform.policies.s3.audit_object_lock import POLICY
from tests.policies.harness import Stack

BUCKET = "aws:s3/bucket:Bucket"
LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
TRAIL = "aws:cloudtrail/trail:Trail"
PROD = {"requiredModes": ["COMPLIANCE"], "minimumRetentionDays": 365}


def audit_bucket(
    *, enabled: bool = True, retention: dict[str, Any] | None = None, lock: bool = True
) -> Stack:
    s = Stack()
    s.add(BUCKET, "audit", {"tags": {"Purpose": "audit"}, "objectLockEnabled": enabled})
    if lock:
        rule = {"defaultRetention": retention or {"mode": "COMPLIANCE", "days": 2555}}
        props = {"bucket": "audit-1", "objectLockEnabled": "Enabled", "rule": rule}
        s.add(LOCK, "audit-lock", props, deps={"bucket": "audit"})
    return s


def messages(s: Stack, config: dict[str, Any] | None = None) -> list[str]:
    return [m for m, _ in s.check(POLICY, config)]


def test_a_locked_audit_bucket_passes_in_prod() -> None:
    assert audit_bucket().check(POLICY, PROD) == []


def test_retention_in_years_counts() -> None:
    s = audit_bucket(retention={"mode": "COMPLIANCE", "years": 7})
    assert s.check(POLICY, PROD) == []


def test_a_bucket_without_object_lock_is_reported_on_the_bucket() -> None:
    s = audit_bucket(enabled=False, lock=False)
    assert s.check(POLICY) == [
        (
            "Bucket 'audit' is tagged Purpose=audit but Object Lock is not enabled; create it "
            "with object_lock_enabled=True",
            s.resources[0].urn,
        )
    ]


def test_lock_without_default_retention() -> None:
    assert messages(audit_bucket(lock=False)) == [
        "Bucket 'audit' is tagged Purpose=audit but has no default retention; add an "
        "aws.s3.BucketObjectLockConfiguration with a default retention rule"
    ]


@pytest.mark.parametrize(
    ("retention", "message"),
    [
        (
            {"mode": "GOVERNANCE", "days": 400},
            "Bucket 'audit' is tagged Purpose=audit but locks in GOVERNANCE mode; this "
            "environment accepts COMPLIANCE",
        ),
        (
            {"mode": "COMPLIANCE", "days": 30},
            "Bucket 'audit' is tagged Purpose=audit but retains objects 30 days; this "
            "environment requires at least 365",
        ),
    ],
)
def test_prod_requires_compliance_mode_and_a_long_retention(
    retention: dict[str, Any], message: str
) -> None:
    assert messages(audit_bucket(retention=retention), PROD) == [message]


def test_governance_mode_is_accepted_by_default() -> None:
    assert audit_bucket(retention={"mode": "GOVERNANCE", "days": 1}).check(POLICY) == []


def test_a_bucket_a_trail_writes_to_is_an_audit_bucket() -> None:
    s = Stack()
    s.add(BUCKET, "logs")
    s.add(TRAIL, "trail", {"s3BucketName": "logs-1"}, deps={"s3BucketName": "logs"})
    assert messages(s) == [
        "Bucket 'logs' receives CloudTrail logs but Object Lock is not enabled; create it with "
        "object_lock_enabled=True"
    ]


def test_other_buckets_need_no_lock() -> None:
    s = Stack()
    s.add(BUCKET, "scratch", {"tags": {"Purpose": "models"}})
    assert s.check(POLICY, PROD) == []
