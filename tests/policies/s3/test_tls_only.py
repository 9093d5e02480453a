from __future__ import annotations

import json
from typing import Any

import pytest

from mlops_platform.policies.s3.tls_only import POLICY
from tests.policies.harness import Stack

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
DENY_HTTP: dict[str, Any] = {
    "Sid": "DenyPlainHttp",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::models", "arn:aws:s3:::models/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}


def stack(statement: dict[str, Any] | None = None, text: str | None = None) -> Stack:
    s = Stack()
    s.add(BUCKET, "models")
    document = text or json.dumps({"Version": "2012-10-17", "Statement": [statement or DENY_HTTP]})
    s.add(
        BUCKET_POLICY,
        "models-policy",
        {"bucket": "models-1", "policy": document},
        deps={"bucket": "models"},
    )
    return s


def test_a_deny_of_plain_http_passes() -> None:
    assert stack().check(POLICY) == []


def test_an_inline_policy_counts() -> None:
    s = Stack()
    s.add(BUCKET, "models", {"policy": json.dumps({"Statement": [DENY_HTTP]})})
    assert s.check(POLICY) == []


def test_no_policy_at_all() -> None:
    s = Stack()
    bucket = s.add(BUCKET, "models")
    assert s.check(POLICY) == [
        (
            "Bucket 'models' has no bucket policy; add one that denies s3:* when "
            "aws:SecureTransport is false",
            bucket.urn,
        )
    ]


NOT_ENFORCED = (
    "the bucket policy of Bucket 'models' does not deny requests without TLS; add a Deny of "
    's3:* for principal "*" when aws:SecureTransport is false'
)


@pytest.mark.parametrize(
    "statement",
    [
        {**DENY_HTTP, "Effect": "Allow"},
        {**DENY_HTTP, "Action": "s3:PutObject"},
        {**DENY_HTTP, "Principal": {"AWS": "arn:aws:iam::123456789012:root"}},
        {**DENY_HTTP, "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
        {**DENY_HTTP, "Condition": {}},
    ],
    ids=["allow", "one-action", "one-principal", "secure-true", "no-condition"],
)
def test_a_policy_that_does_not_enforce_tls(statement: dict[str, Any]) -> None:
    s = stack(statement)
    assert s.check(POLICY) == [(NOT_ENFORCED, s.resources[0].urn)]


def test_a_policy_that_is_not_json() -> None:
    s = stack(text="{not json")
    assert s.check(POLICY) == [
        ("the bucket policy of Bucket 'models' is not valid JSON", s.resources[0].urn)
    ]
