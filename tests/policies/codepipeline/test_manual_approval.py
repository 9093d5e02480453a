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


def test_a_pipeline_that_never_deploys_passes() -> None:
    assert check_resource(POLICY, PIPELINE, {"stages": [SOURCE]}) == []
