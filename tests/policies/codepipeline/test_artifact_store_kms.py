from __future__ import annotations

from typing import Any

from mlops_platform.policies.codepipeline.artifact_store_kms import POLICY
from mlops_platform.policies.codepipeline.manual_approval import PIPELINE
from tests.policies.harness import UNKNOWN, check_resource

KEY = {"id": "arn:aws:kms:us-east-1:111111111111:key/1", "type": "KMS"}


def pipeline(*stores: dict[str, Any]) -> dict[str, Any]:
    return {"artifactStores": list(stores), "stages": []}


def test_a_kms_encrypted_store_passes() -> None:
    store = {"location": "artifacts", "type": "S3", "encryptionKey": KEY}
    assert check_resource(POLICY, PIPELINE, pipeline(store)) == []


def test_a_key_still_unknown_in_preview_passes() -> None:
    store = {"location": "artifacts", "type": "S3", "encryptionKey": {"id": UNKNOWN, "type": "KMS"}}
    assert check_resource(POLICY, PIPELINE, pipeline(store)) == []


def test_a_store_without_a_key() -> None:
    store = {"location": "artifacts", "type": "S3"}
    assert check_resource(POLICY, PIPELINE, pipeline(store)) == [
        "artifact store 'artifacts' has no KMS encryption key; set encryption_key type 'KMS' and "
        "its id"
    ]


def test_each_regional_store_is_checked() -> None:
    good = {"location": "a", "type": "S3", "region": "us-east-1", "encryptionKey": KEY}
    bad = {"location": "b", "type": "S3", "region": "eu-west-1", "encryptionKey": {"id": ""}}
    assert check_resource(POLICY, PIPELINE, pipeline(good, bad)) == [
        "artifact store 'b' in eu-west-1 has no KMS encryption key; set encryption_key type "
        "'KMS' and its id"
    ]


def test_no_store_at_all() -> None:
    assert check_resource(POLICY, PIPELINE, pipeline()) == [
        "the pipeline declares no artifact store; add one encrypted with a KMS key"
    ]
