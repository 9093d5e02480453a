from __future__ import annotations

from typing import Any

import pytest

from mlops_platform.policies.ecr import immutable_tags, scan_on_push
from mlops_platform.policies.ecr._repository import REPOSITORY
from tests.policies.harness import check_resource

COMPLIANT: dict[str, Any] = {
    "imageTagMutability": "IMMUTABLE",
    "imageScanningConfiguration": {"scanOnPush": True},
    "encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": "arn:aws:kms:k"}],
}


def test_an_immutable_scanned_repository_passes() -> None:
    assert check_resource(immutable_tags.POLICY, REPOSITORY, COMPLIANT) == []
    assert check_resource(scan_on_push.POLICY, REPOSITORY, COMPLIANT) == []


@pytest.mark.parametrize(
    ("mutability", "shown"),
    [
        ("MUTABLE", "'MUTABLE'"),
        (None, "'MUTABLE'"),
        ("IMMUTABLE_WITH_EXCLUSION", "'IMMUTABLE_WITH_EXCLUSION'"),
    ],
)
def test_mutable_tags(mutability: str | None, shown: str) -> None:
    props = {**COMPLIANT, "imageTagMutability": mutability}
    assert check_resource(immutable_tags.POLICY, REPOSITORY, props) == [
        f"image tag mutability is {shown}: a pushed tag can be moved to another image; set it "
        "to 'IMMUTABLE'"
    ]


@pytest.mark.parametrize("scanning", [{"scanOnPush": False}, None, {}])
def test_no_scan_on_push(scanning: dict[str, bool] | None) -> None:
    props = {**COMPLIANT, "imageScanningConfiguration": scanning}
    assert check_resource(scan_on_push.POLICY, REPOSITORY, props) == [
        "images are not scanned on push; set image_scanning_configuration.scan_on_push"
    ]


def test_other_types_are_left_alone() -> None:
    assert check_resource(immutable_tags.POLICY, "aws:s3/bucket:Bucket", {}) == []
