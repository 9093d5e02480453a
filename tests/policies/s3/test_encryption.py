from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy.proxy import UnknownValueError

from mlops_platform.policies.s3.encryption import POLICY
from tests.policies.harness import UNKNOWN, Stack

BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
KMS_RULE = {
    "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "k"}
}


def stack(rule: dict[str, Any] | None = KMS_RULE, *, with_config: bool = True) -> Stack:
    s = Stack()
    s.add(BUCKET, "models", {"tags": {}})
    if with_config:
        s.add(
            SSE, "models-sse", {"bucket": "models-1234", "rules": [rule]}, deps={"bucket": "models"}
        )
    return s


def test_a_bucket_with_a_kms_configuration_passes() -> None:
    assert stack().check(POLICY) == []


def test_an_inline_kms_configuration_passes() -> None:
    s = Stack()
    s.add(BUCKET, "models", {"serverSideEncryptionConfiguration": {"rule": KMS_RULE}})
    assert s.check(POLICY) == []


def test_a_v2_bucket_with_inline_lists_passes() -> None:
    s = Stack()
    rule = {"applyServerSideEncryptionByDefaults": [KMS_RULE["applyServerSideEncryptionByDefault"]]}
    s.add(
        "aws:s3/bucketV2:BucketV2",
        "models",
        {"serverSideEncryptionConfigurations": [{"rules": [rule]}]},
    )
    assert s.check(POLICY) == []


def test_a_configuration_linked_by_explicit_name_counts() -> None:
    s = Stack()
    s.add(BUCKET, "models", {"bucket": "acme-models"})
    s.add(SSE, "models-sse", {"bucket": "acme-models", "rules": [KMS_RULE]})
    assert s.check(POLICY) == []


@pytest.mark.parametrize(
    ("rule", "config", "message"),
    [
        (
            None,
            None,
            "Bucket 'models' has no server-side encryption configuration; add one with "
            "sse_algorithm 'aws:kms'",
        ),
        (
            {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}},
            None,
            "Bucket 'models' encrypts with 'AES256'; allowed: aws:kms, aws:kms:dsse",
        ),
        (
            {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}},
            None,
            "Bucket 'models' encrypts with the AWS managed key; set kms_master_key_id to a "
            "customer managed key",
        ),
    ],
)
def test_violations(rule: dict[str, Any] | None, config: Any, message: str) -> None:
    s = stack(rule, with_config=rule is not None)
    bucket = s.resources[0]
    assert s.check(POLICY, config) == [(message, bucket.urn)]


def test_the_aws_managed_key_passes_when_a_customer_key_is_not_required() -> None:
    s = stack({"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}})
    assert s.check(POLICY, {"requireCustomerKey": False}) == []


def test_allowed_algorithms_come_from_config() -> None:
    s = stack({"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}})
    assert s.check(POLICY, {"allowedAlgorithms": ["AES256", "aws:kms"]}) == []


def test_an_unknown_key_during_preview_counts_as_set() -> None:
    s = stack(
        {
            "applyServerSideEncryptionByDefault": {
                "sseAlgorithm": "aws:kms",
                "kmsMasterKeyId": UNKNOWN,
            }
        }
    )
    assert s.check(POLICY) == []


def test_an_unknown_algorithm_is_left_to_the_sdk_to_report_as_advisory() -> None:
    s = stack({"applyServerSideEncryptionByDefault": {"sseAlgorithm": UNKNOWN}})
    with pytest.raises(UnknownValueError):
        s.check(POLICY)
