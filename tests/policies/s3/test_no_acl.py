from __future__ import annotations

import pytest

from mlops_platform.policies.s3.no_acl import POLICY
from tests.policies.harness import check_resource

BUCKET = "aws:s3/bucket:Bucket"


def test_a_bucket_without_acls_passes() -> None:
    assert check_resource(POLICY, BUCKET, {"tags": {}}) == []


def test_the_private_canned_acl_passes() -> None:
    assert check_resource(POLICY, BUCKET, {"acl": "private"}) == []


@pytest.mark.parametrize(
    ("type_", "props", "message"),
    [
        (
            BUCKET,
            {"acl": "public-read"},
            "the bucket sets the canned ACL 'public-read'; remove acl and grant access with a "
            "policy",
        ),
        (
            BUCKET,
            {"grants": [{"type": "Group", "permissions": ["READ"]}]},
            "the bucket grants access through ACL grants; remove grants and use a policy",
        ),
        (
            "aws:s3/bucketAcl:BucketAcl",
            {"bucket": "models", "acl": "private"},
            "ACLs are disabled on platform buckets; remove this ACL and grant access with a policy",
        ),
        (
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            {"bucket": "models", "rule": {"objectOwnership": "ObjectWriter"}},
            "object ownership is 'ObjectWriter', which enables ACLs; use 'BucketOwnerEnforced'",
        ),
    ],
    ids=["canned-acl", "grants", "bucket-acl", "object-writer"],
)
def test_violations(type_: str, props: dict[str, object], message: str) -> None:
    assert check_resource(POLICY, type_, props) == [message]


def test_bucket_owner_enforced_passes() -> None:
    props = {"bucket": "models", "rule": {"objectOwnership": "BucketOwnerEnforced"}}
    assert (
        check_resource(POLICY, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", props)
        == []
    )
