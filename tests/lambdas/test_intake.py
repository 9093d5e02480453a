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


EXECUTION = "4f0c9b7e-1d2a-4c3b-9e8f-0123456789ab"
PIPELINE_APPROVAL = {
    "required": False,
    "timeout_seconds": 60,
    "pipeline": "prod-fraud-cd",
    "stage": "prod",
    "action": "Approve",
    "pipeline_execution_id": EXECUTION,
}


@pytest.mark.parametrize(
    ("env", "approval"),
    [
        ("prod", {"required": True, "timeout_seconds": 60}),
        ("prod", PIPELINE_APPROVAL),
        ("dev", {"required": False, "timeout_seconds": 60}),
        ("staging", {"timeout_seconds": 60}),
        ("staging", {**PIPELINE_APPROVAL, "pipeline": "staging-fraud-cd", "stage": "staging"}),
    ],
    ids=["prod asks", "prod pipeline", "dev none", "staging none", "staging pipeline"],
)
def test_accepted(env: str, approval: dict[str, Any]) -> None:
    assert handler(promotion(env, approval), None) == {"valid": True}


REFUSED = (
    "env prod promotions need a person's approval: true (the workflow asks), or false with the "
    "whole pipeline approval that granted it (pipeline, stage, action, pipeline_execution_id)"
)
ONE = "promotion execution input is invalid (1 problem): "


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
        (
            {k: v for k, v in PIPELINE_APPROVAL.items() if k != "pipeline"},
            "promotion execution input is invalid (2 problems): "
            "approval.pipeline = '<missing>': is required; "
            f"approval.required = False: {REFUSED}",
        ),
        (
            {**PIPELINE_APPROVAL, "pipeline_execution_id": "#{codepipeline.PipelineExecutionId}"},
            "promotion execution input is invalid (2 problems): "
            "approval.pipeline_execution_id = '#{codepipeline.PipelineExecutionId}': "
            "must be 1-63 letters, digits, '-', '_' or '.'; "
            f"approval.required = False: {REFUSED}",
        ),
        (
            {**PIPELINE_APPROVAL, "pipeline": "dev-fraud-cd"},
            "promotion execution input is invalid (2 problems): "
            "approval.pipeline = 'dev-fraud-cd': must be a pipeline of env prod ('prod-...'); "
            f"approval.required = False: {REFUSED}",
        ),
        (
            {**PIPELINE_APPROVAL, "required": True},
            ONE + "approval.required = True: the pipeline approval named here is the "
            "promotion's approval; only false is allowed with it (one approval per promotion)",
        ),
    ],
    ids=[
        "false",
        "missing",
        "not a boolean",
        "reference without pipeline",
        "unresolved execution id",
        "another env's pipeline",
        "pipeline and workflow approval",
    ],
)
def test_prod_refuses_promotions_without_approval(approval: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidEvent) as error:
        handler(promotion("prod", approval), None)
    assert str(error.value) == message
