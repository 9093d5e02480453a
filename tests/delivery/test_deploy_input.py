"""The deploy action's input, once CodePipeline resolved it, is what the workflow's intake takes."""

from __future__ import annotations

import pytest

from mlops_platform.components.delivery.deploy_input import (
    DeployTarget,
    PromotionSettings,
    ReleaseVariant,
    action_input,
)
from mlops_platform.lambdas.common.events import InvalidEvent
from mlops_platform.lambdas.intake.handler import handler as intake
from tests.delivery.pipeline_runs import PACKAGE, RUN, resolve

PROD = DeployTarget(
    environment="prod",
    target="fraud-detector",
    endpoint_name="prod-fraud-detector-5d6e7f8",
    variants=[ReleaseVariant("blue", 90.0, 3)],
    alarm_names=["prod-fraud-detector-5d6e7f8-blue-5xx", "prod-fraud-detector-5d6e7f8-blue-p99"],
    settings=PromotionSettings(approval_required=True, bake_interval_seconds=600, bake_checks=3),
    pipeline_approval=True,
)


def promotion(text: str, values: dict[str, str] | None = None) -> dict[str, object]:
    return {"kind": "promotion", "input": resolve(text, values)}


def test_the_resolved_input_is_exactly_the_intakes_shape() -> None:
    sent = resolve(action_input("prod-fraud-detector-cd", PROD))
    assert intake({"kind": "promotion", "input": sent}, None) == {"valid": True}
    assert sent == {
        "env": "prod",
        "target": "fraud-detector",
        "actor": "codepipeline/prod-fraud-detector-cd",
        "release": {
            "version": 4,
            "package_arn": PACKAGE,
            "image": f"{RUN['BuildVariables.IMAGE_URI']}@{RUN['BuildVariables.IMAGE_DIGEST']}",
            "image_digest": RUN["BuildVariables.IMAGE_DIGEST"],
            "model_data_url": RUN["variables.ModelDataUrl"],
            "commit": RUN["SourceVariables.CommitId"],
            "endpoint_name": "prod-fraud-detector-5d6e7f8",
            "variants": [{"name": "blue", "weight": 90.0, "instance_count": 3}],
        },
        "approval": {
            "required": False,
            "timeout_seconds": 86400,
            "pipeline": "prod-fraud-detector-cd",
            "stage": "prod",
            "action": "Approve",
            "pipeline_execution_id": RUN["codepipeline.PipelineExecutionId"],
        },
        "bake": {"interval_seconds": 600, "checks": 3, "alarm_names": list(PROD.alarm_names)},
        "timing": {"poll_seconds": 30, "max_polls": 60},
        "lock_ttl_seconds": 7200,
    }


def test_a_pipeline_approval_is_the_only_approval_wherever_the_stage_has_one() -> None:
    asks = PromotionSettings(approval_required=True)
    for env in ("dev", "staging", "prod"):
        staged = DeployTarget(environment=env, target="fd", endpoint_name="e", settings=asks,
                              pipeline_approval=True)  # fmt: skip
        approval = resolve(action_input(f"{env}-fd-cd", staged))["approval"]
        assert approval["required"] is False
        assert (approval["pipeline"], approval["stage"]) == (f"{env}-fd-cd", env)
    plain = DeployTarget(environment="staging", target="fd", endpoint_name="e", settings=asks)
    assert resolve(action_input("staging-fd-cd", plain))["approval"]["required"] is True


def test_without_a_pipeline_approval_the_block_has_only_the_workflows_keys() -> None:
    dev = DeployTarget(environment="dev", target="fraud-detector", endpoint_name="dev-fd")
    sent = resolve(action_input("dev-fraud-detector-cd", dev))
    assert sent["approval"] == {"required": False, "timeout_seconds": 86400}
    assert intake({"kind": "promotion", "input": sent}, None) == {"valid": True}


def test_a_push_run_stops_at_the_intake_before_anything_is_locked() -> None:
    push = {**RUN, "variables.PackageArn": "current", "variables.PackageVersion": "0",
            "variables.ModelDataUrl": "current"}  # fmt: skip
    with pytest.raises(InvalidEvent) as raised:
        intake(promotion(action_input("prod-fraud-detector-cd", PROD), push), None)
    assert [str(p) for p in raised.value.problems] == [
        "release.version = 0: must be an integer of at least 1"
    ]


def test_the_input_fits_codepipelines_limit_or_the_program_refuses_it() -> None:
    assert len(action_input("prod-fraud-detector-cd", PROD)) <= 1000
    many = DeployTarget(
        environment="prod", target="fraud-detector", endpoint_name="e",
        alarm_names=[f"prod-fraud-detector-5d6e7f8-alarm-{i}" for i in range(20)],
    )  # fmt: skip
    with pytest.raises(ValueError, match="CodePipeline allows 1000"):
        action_input("prod-fraud-detector-cd", many)
