from __future__ import annotations

import pytest

from mlops_platform.policies.s3.public_access_block import FLAGS, POLICY
from tests.policies.harness import Stack

BUCKET = "aws:s3/bucket:Bucket"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"


def stack(**flags: bool) -> Stack:
    s = Stack()
    s.add(BUCKET, "models")
    props = {"bucket": "models-1", **{flag: True for flag in FLAGS}, **flags}
    s.add(PAB, "models-pab", props, deps={"bucket": "models"})
    return s


def test_all_four_settings_on_passes() -> None:
    assert stack().check(POLICY) == []


def test_a_bucket_without_a_block_is_a_violation() -> None:
    s = Stack()
    bucket = s.add(BUCKET, "models")
    assert s.check(POLICY) == [
        (
            "Bucket 'models' has no public-access block; add an aws.s3.BucketPublicAccessBlock "
            "with all four settings true",
            bucket.urn,
        )
    ]


@pytest.mark.parametrize("flag", FLAGS)
def test_each_setting_left_off_is_named(flag: str) -> None:
    s = stack(**{flag: False})
    assert s.check(POLICY) == [
        (
            f"public-access block of Bucket 'models' leaves {flag} off; set all four to true",
            s.resources[1].urn,
        )
    ]


def test_a_block_for_another_bucket_does_not_count() -> None:
    s = stack()
    other = s.add(BUCKET, "logs")
    assert [urn for _, urn in s.check(POLICY)] == [other.urn]
