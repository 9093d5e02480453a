from __future__ import annotations

from mlops_platform.policies.s3.versioning import POLICY
from tests.policies.harness import Stack

BUCKET = "aws:s3/bucket:Bucket"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
TRAIL = "aws:cloudtrail/trail:Trail"
MESSAGE = (
    "Bucket 'models' {reason} but versioning is not enabled; add an aws.s3.BucketVersioning "
    "with status 'Enabled'"
)


def models_bucket(*, versioned: str | None = "Enabled") -> Stack:
    s = Stack()
    s.add(BUCKET, "models", {"tags": {"Purpose": "models"}})
    if versioned:
        props = {"bucket": "models-1", "versioningConfiguration": {"status": versioned}}
        s.add(VERSIONING, "models-versioning", props, deps={"bucket": "models"})
    return s


def test_a_versioned_models_bucket_passes() -> None:
    assert models_bucket().check(POLICY) == []


def test_inline_versioning_counts() -> None:
    s = Stack()
    s.add(BUCKET, "models", {"tags": {"Purpose": "models"}, "versioning": {"enabled": True}})
    assert s.check(POLICY) == []


def test_a_bucket_that_holds_nothing_listed_needs_no_versioning() -> None:
    s = Stack()
    s.add(BUCKET, "scratch", {"tags": {"Purpose": "scratch"}})
    assert s.check(POLICY) == []


def test_a_tagged_bucket_without_versioning() -> None:
    s = models_bucket(versioned=None)
    assert s.check(POLICY) == [
        (MESSAGE.format(reason="is tagged Purpose=models"), s.resources[0].urn)
    ]


def test_suspended_versioning_is_not_enabled() -> None:
    s = models_bucket(versioned="Suspended")
    assert [m for m, _ in s.check(POLICY)] == [MESSAGE.format(reason="is tagged Purpose=models")]


def test_a_bucket_a_trail_writes_to_holds_audit_logs() -> None:
    s = Stack()
    s.add(BUCKET, "models")
    s.add(TRAIL, "trail", {"s3BucketName": "models-1"}, deps={"s3BucketName": "models"})
    assert [m for m, _ in s.check(POLICY)] == [MESSAGE.format(reason="receives CloudTrail logs")]


def test_require_for_all_versions_every_bucket() -> None:
    s = Stack()
    s.add(BUCKET, "models")
    assert [m for m, _ in s.check(POLICY, {"requireForAll": True})] == [
        MESSAGE.format(reason="is in an environment that versions every bucket")
    ]


def test_the_purpose_tag_and_values_come_from_config() -> None:
    s = Stack()
    s.add(BUCKET, "models", {"tags": {"Holds": "features"}})
    config = {"purposeTagKey": "Holds", "versionedPurposes": ["features"]}
    assert [m for m, _ in s.check(POLICY, config)] == [
        MESSAGE.format(reason="is tagged Holds=features")
    ]
