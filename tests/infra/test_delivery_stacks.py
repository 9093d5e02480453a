"""The committed stacks' delivery plane as planned: seeded records, the deploy action's input."""

from __future__ import annotations

import json

import pytest

from mlops_platform.lambdas.common.release import ReleaseRecord
from mlops_platform.lambdas.intake.handler import handler as intake
from mlops_platform.preview.stack import StackPreview
from mlops_platform.testing import Registry
from tests.delivery.pipeline_runs import resolve

PARAMETER = "aws:ssm/parameter:Parameter"
STACKS = ("dev", "staging", "prod")


@pytest.fixture(scope="module")
def stacks(committed_previews: dict[str, StackPreview]) -> dict[str, Registry]:
    """Every committed stack, previewed once for the session."""
    return {stack: preview.registry for stack, preview in committed_previews.items()}


@pytest.mark.parametrize("stack", STACKS)
def test_every_seeded_release_record_is_a_whole_release_record(
    stacks: dict[str, Registry], stack: str
) -> None:
    seeds = [
        p for p in stacks[stack].all(PARAMETER)
        if str(p.inputs["name"]).startswith(f"/mlops/{stack}/release/")
    ]  # fmt: skip
    services = {"dev": ["fraud-scorer"], "staging": ["fraud-scorer"],
                "prod": ["fraud-scorer", "churn-ranker"]}[stack]  # fmt: skip
    assert sorted(p.inputs["name"] for p in seeds) == sorted(
        f"/mlops/{stack}/release/{target}" for target in ["fraud-detector", *services]
    )
    for seed in seeds:
        record = ReleaseRecord.parse(json.loads(seed.inputs["insecureValue"]))
        assert record.is_seed
        assert record.image_digest.startswith("sha256:")
        assert len(record.image_digest) == 71
        assert len(record.commit) == 40


def deploy_inputs(registry: Registry) -> dict[str, str]:
    """The `Input` of every Step Functions deploy action, by pipeline and stage."""
    found = {}
    for pipeline in registry.all("aws:codepipeline/pipeline:Pipeline"):
        for stage in pipeline.inputs["stages"]:
            for action in stage["actions"]:
                if (action["category"], action["provider"]) == ("Invoke", "StepFunctions"):
                    found[f"{pipeline.name}/{stage['name']}"] = action["configuration"]["Input"]
    return found


@pytest.mark.parametrize("stack", STACKS)
def test_every_deploy_action_sends_what_the_workflows_intake_accepts(
    stacks: dict[str, Registry], stack: str
) -> None:
    inputs = deploy_inputs(stacks[stack])
    expected = {"dev": 1, "staging": 1, "prod": 1}[stack]  # one per endpoint with a managed variant
    assert len(inputs) == expected
    endpoints = {e.inputs["name"] for e in stacks[stack].all("aws:sagemaker/endpoint:Endpoint")}
    for text in inputs.values():
        sent = resolve(text)
        assert intake({"kind": "promotion", "input": sent}, None) == {"valid": True}
        assert sent["env"] == stack
        assert sent["release"]["endpoint_name"] in endpoints
        assert sent["bake"]["alarm_names"]
        approval = sent["approval"]
        # Prod's one approval is the pipeline's Manual approval, named for the ledger.
        assert ("pipeline" in approval) is (stack == "prod")
        assert approval["required"] is False
        if stack == "prod":
            assert approval["pipeline"].startswith("prod-")
            assert (approval["stage"], approval["action"]) == ("prod", "Approve")


@pytest.mark.parametrize("stack", STACKS)
def test_every_deploy_action_starts_the_stacks_own_promotion_workflow_on_its_target(
    stacks: dict[str, Registry], stack: str
) -> None:
    # The action's target is the workflow's (one per endpoint: its lock, ledger and alarm
    # tags), and the record it writes is the one the program reads back.
    registry = stacks[stack]
    machines = registry.all("aws:sfn/stateMachine:StateMachine")
    (machine,) = [m for m in machines if m.name.endswith("-promotion")]
    seeded = {str(p.inputs["name"]) for p in registry.all(PARAMETER)}
    for pipeline in registry.all("aws:codepipeline/pipeline:Pipeline"):
        for stage in pipeline.inputs["stages"]:
            for action in stage["actions"]:
                if (action["category"], action["provider"]) != ("Invoke", "StepFunctions"):
                    continue
                configuration = action["configuration"]
                assert configuration["StateMachineArn"] == machine.state["arn"]
                target = resolve(configuration["Input"])["target"]
                assert f"/mlops/{stack}/release/{target}" in seeded
