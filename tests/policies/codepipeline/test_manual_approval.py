from __future__ import annotations

from typing import Any

from mlops_platform.policies.codepipeline.manual_approval import PIPELINE, POLICY
from tests.policies.harness import check_resource


def action(name: str, category: str, provider: str, run_order: int = 1) -> dict[str, Any]:
    return {
        "name": name,
        "category": category,
        "owner": "AWS",
        "provider": provider,
        "version": "1",
        "runOrder": run_order,
    }


SOURCE = {"name": "Source", "actions": [action("Fetch", "Source", "S3")]}
APPROVE = {"name": "Approve", "actions": [action("Review", "Approval", "Manual")]}
DEPLOY = {"name": "Prod", "actions": [action("Deploy", "Deploy", "CloudFormation")]}
TOO_EARLY = (
    "action 'Deploy' in stage 'Prod' deploys before any manual approval; add a Manual approval "
    "action before it"
)


def test_an_approval_stage_before_deploy_passes() -> None:
    assert check_resource(POLICY, PIPELINE, {"stages": [SOURCE, APPROVE, DEPLOY]}) == []


def test_no_approval() -> None:
    assert check_resource(POLICY, PIPELINE, {"stages": [SOURCE, DEPLOY]}) == [TOO_EARLY]


def test_an_approval_after_the_deploy_does_not_count() -> None:
    assert check_resource(POLICY, PIPELINE, {"stages": [SOURCE, DEPLOY, APPROVE]}) == [TOO_EARLY]


def test_an_approval_earlier_in_the_same_stage_counts() -> None:
    stage = {
        "name": "Prod",
        "actions": [
            action("Deploy", "Deploy", "CloudFormation", 2),
            action("Review", "Approval", "Manual", 1),
        ],
    }
    assert check_resource(POLICY, PIPELINE, {"stages": [SOURCE, stage]}) == []


def invoke(name: str, run_order: int = 1) -> dict[str, Any]:
    return action(name, "Invoke", "StepFunctions", run_order)


def too_early(name: str, stage: str) -> str:
    return (
        f"action {name!r} in stage {stage!r} deploys before any manual approval; add a Manual "
        "approval action before it"
    )


def test_a_step_functions_deploy_without_approval_is_caught() -> None:
    prod = {"name": "prod", "actions": [invoke("Deploy", 2)]}
    assert check_resource(POLICY, PIPELINE, {"stages": [SOURCE, prod]}) == [
        too_early("Deploy", "prod")
    ]


def test_a_step_functions_deploy_after_its_approval_passes() -> None:
    prod = {
        "name": "prod",
        "actions": [action("Approve", "Approval", "Manual", 1), invoke("Deploy", 2)],
    }
    assert check_resource(POLICY, PIPELINE, {"stages": [SOURCE, prod]}) == []


def test_a_codebuild_deploy_without_approval_is_caught() -> None:
    build = {"name": "Build", "actions": [action("Build", "Build", "CodeBuild")]}
    deploy = {"name": "prod", "actions": [action("DeployStack", "Build", "CodeBuild")]}
    assert check_resource(POLICY, PIPELINE, {"stages": [SOURCE, build, deploy]}) == [
        too_early("DeployStack", "prod")
    ]


def test_every_deploy_needs_an_approval_before_it_not_only_the_first() -> None:
    staging = {"name": "staging", "actions": [invoke("Deploy")]}
    prod = {"name": "prod", "actions": [invoke("Deploy")]}
    assert check_resource(POLICY, PIPELINE, {"stages": [SOURCE, staging, APPROVE, prod]}) == [
        too_early("Deploy", "staging")
    ]
    assert check_resource(POLICY, PIPELINE, {"stages": [SOURCE, APPROVE, staging, prod]}) == []


def test_a_lambda_invoke_or_a_build_is_no_deploy() -> None:
    stages = [
        SOURCE,
        {
            "name": "Build",
            "actions": [
                action("Build", "Build", "CodeBuild"),
                action("Notify", "Invoke", "Lambda", 2),
            ],
        },
    ]
    assert check_resource(POLICY, PIPELINE, {"stages": stages}) == []


def test_a_pipeline_that_never_deploys_passes() -> None:
    assert check_resource(POLICY, PIPELINE, {"stages": [SOURCE]}) == []
