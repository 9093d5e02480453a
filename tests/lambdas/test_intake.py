"""The intake's rule that prod promotions wait for a person, table-driven with exact messages."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_platform.lambdas.common.events import InvalidEvent
from mlops_platform.lambdas.intake.handler import handler

RELEASE = {
    "version": 5,
    "package_arn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud/5",
    "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:5",
    "image_digest": "sha256:" + "ab" * 32,
    "model_data_url": "s3://models/fraud/5/model.tar.gz",
    "commit": "c0ffee05",
    "endpoint_name": "fraud",
}


def promotion(env: str, approval: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "promotion",
        "input": {
            "env": env,
            "target": "fraud",
            "actor": "ci@fraud",
            "release": RELEASE,
            "approval": approval,
            "bake": {"interval_seconds": 0, "checks": 1, "alarm_names": ["fraud-5xx"]},
            "timing": {"poll_seconds": 0, "max_polls": 5},
            "lock_ttl_seconds": 600,
        },
    }


@pytest.mark.parametrize(
    ("env", "approval"),
    [
        ("prod", {"required": True, "timeout_seconds": 60}),
        ("dev", {"required": False, "timeout_seconds": 60}),
        ("staging", {"timeout_seconds": 60}),
    ],
)
def test_accepted(env: str, approval: dict[str, Any]) -> None:
    assert handler(promotion(env, approval), None) == {"valid": True}


REFUSED = "env prod promotions wait for a person's approval; only true is allowed there"


@pytest.mark.parametrize(
    ("approval", "message"),
    [
        (
            {"required": False, "timeout_seconds": 60},
            "promotion execution input is invalid (1 problem): "
            f"approval.required = False: {REFUSED}",
        ),
        (
            {"timeout_seconds": 60},
            "promotion execution input is invalid (1 problem): "
            f"approval.required = '<missing>': {REFUSED}",
        ),
        (
            {"required": "no", "timeout_seconds": 60},
            "promotion execution input is invalid (1 problem): "
            "approval.required = 'no': must be true or false",
        ),
    ],
    ids=["false", "missing", "not a boolean"],
)
def test_prod_refuses_promotions_without_approval(approval: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidEvent) as error:
        handler(promotion("prod", approval), None)
    assert str(error.value) == message
