from __future__ import annotations

import json
from typing import Any

import pytest

from mlops_platform.policies.s3.no_public_read import POLICY
from tests.policies.harness import UNKNOWN, check_resource

BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
READERS = {
    "Sid": "ServingReads",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::123456789012:role/serving"},
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::models/*",
}
PUBLIC = (
    "bucket policy statement 'ServingReads' lets any principal read objects; name the principals "
    "or add an aws:PrincipalOrgID, aws:PrincipalAccount or aws:SourceVpce condition"
)


def bucket_policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"bucket": "models", "policy": json.dumps({"Statement": list(statements)})}


def test_a_named_reader_passes() -> None:
    assert check_resource(POLICY, BUCKET_POLICY, bucket_policy(READERS)) == []


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["*"]}])
def test_anyone_may_read(principal: Any) -> None:
    props = bucket_policy({**READERS, "Principal": principal})
    assert check_resource(POLICY, BUCKET_POLICY, props) == [PUBLIC]


@pytest.mark.parametrize("action", ["s3:Get*", "s3:*", "*", ["s3:ListBucket", "s3:GetObject"]])
def test_wildcards_that_cover_reading_count(action: Any) -> None:
    props = bucket_policy({**READERS, "Principal": "*", "Action": action})
    assert check_resource(POLICY, BUCKET_POLICY, props) == [PUBLIC]


def test_anyone_pinned_to_the_organisation_passes() -> None:
    statement = {
        **READERS,
        "Principal": "*",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
    }
    assert check_resource(POLICY, BUCKET_POLICY, bucket_policy(statement)) == []


def test_a_condition_that_does_not_pin_the_caller_still_counts() -> None:
    statement = {
        **READERS,
        "Principal": "*",
        "Condition": {"Bool": {"aws:SecureTransport": "true"}},
    }
    assert check_resource(POLICY, BUCKET_POLICY, bucket_policy(statement)) == [PUBLIC]


def test_a_public_deny_and_a_public_write_are_not_reads() -> None:
    deny = {**READERS, "Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*"}
    write = {**READERS, "Sid": "Drop", "Principal": "*", "Action": "s3:PutObject"}
    assert check_resource(POLICY, BUCKET_POLICY, bucket_policy(deny, write)) == []


def test_each_public_statement_is_named() -> None:
    second = {**READERS, "Sid": "", "Principal": "*"}
    props = bucket_policy(READERS, {**READERS, "Principal": "*"}, second)
    assert check_resource(POLICY, BUCKET_POLICY, props) == [
        PUBLIC,
        PUBLIC.replace("statement 'ServingReads'", "statement 3"),
    ]


def test_inline_bucket_policies_are_checked() -> None:
    props = {"policy": json.dumps({"Statement": [{**READERS, "Principal": "*"}]})}
    assert check_resource(POLICY, "aws:s3/bucketV2:BucketV2", props) == [PUBLIC]


def test_a_policy_that_is_not_json() -> None:
    assert check_resource(POLICY, BUCKET_POLICY, {"policy": "{"}) == [
        "the bucket policy is not valid JSON"
    ]


def test_a_bucket_without_a_policy_passes() -> None:
    assert check_resource(POLICY, "aws:s3/bucketV2:BucketV2", {"bucket": "models"}) == []


def test_an_unknown_bucket_name_does_not_hide_a_public_statement() -> None:
    props = {**bucket_policy({**READERS, "Principal": "*"}), "bucket": UNKNOWN}
    assert check_resource(POLICY, BUCKET_POLICY, props) == [PUBLIC]
