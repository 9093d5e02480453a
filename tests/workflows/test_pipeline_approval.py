"""A prod promotion approved in the pipeline, on moto: one approval, its approver in the ledger.

moto has no `ListActionExecutions`, so CodePipeline's answer comes from botocore's Stubber on
a real client, which also checks the request (that pipeline, filtered by that execution).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from mlops_platform.lambdas.common import aws

from ..lambdas.aws_fixtures import REGION
from .harness import World
from .test_promotion_paths import promotion

PIPELINE = "prod-fraud-detector-cd"
EXECUTION = "4f0c9b7e-1d2a-4c3b-9e8f-0123456789ab"
APPROVER = "arn:aws:sts::123456789012:assumed-role/prod-fraud-detector-cd-approve-prod-role/alice"
APPROVED_AT = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)
APPROVAL = {
    "required": False,
    "timeout_seconds": 60,
    "pipeline": PIPELINE,
    "stage": "prod",
    "action": "Approve",
    "pipeline_execution_id": EXECUTION,
}


@pytest.fixture(autouse=True)
def packages(world: World) -> None:
    """Release records of these tests name packages 1 to 6 of the group."""
    world.create_packages(6)


@pytest.fixture
def codepipeline(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    """The handlers' CodePipeline client, answered by a Stubber (no call may be left over)."""
    client = boto3.client("codepipeline", region_name=REGION)
    stubber = Stubber(client)
    routed = aws.client
    monkeypatch.setattr(aws, "client", lambda s: client if s == "codepipeline" else routed(s))
    with stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def _detail(stage: str, action: str, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "pipelineExecutionId": EXECUTION,
        "actionExecutionId": f"{stage}-{action}-{status}",
        "stageName": stage,
        "actionName": action,
        "startTime": APPROVED_AT,
        "lastUpdateTime": APPROVED_AT,
        "status": status,
        **extra,
    }


def _answer(stubber: Stubber, status: str) -> None:
    """Two pages: a build on the first, the prod approval (with `status`) on the second."""
    approval = _detail(
        "prod",
        "Approve",
        status,
        updatedBy=APPROVER,
        output={"executionResult": {"externalExecutionSummary": "metrics reviewed, canary ok"}},
    )
    request = {"pipelineName": PIPELINE, "filter": {"pipelineExecutionId": EXECUTION}}
    stubber.add_response(
        "list_action_executions",
        {"actionExecutionDetails": [_detail("Build", "Build", "Succeeded")], "nextToken": "p2"},
        request,
    )
    stubber.add_response(
        "list_action_executions",
        {"actionExecutionDetails": [approval]},
        {**request, "nextToken": "p2"},
    )


def test_a_pipeline_approved_prod_promotion_records_the_pipeline_approver(
    world: World, codepipeline: Stubber
) -> None:
    _answer(codepipeline, "Succeeded")
    run = world.promote(promotion(5, env="prod", approval=APPROVAL))
    assert (run.status, run.error) == ("SUCCEEDED", "")
    assert world.actions(env="prod") == ["promote-started", "approved", "promoted"]
    approved = world.ledger(env="prod")[1]
    assert (approved["approval"], approved["comment"], approved["approved_at"]) == (
        APPROVER,
        "metrics reviewed, canary ok",
        APPROVED_AT.isoformat(),
    )
    assert world.ledger(env="prod")[2]["approval"] == APPROVER
    assert [n for n, _ in world.router.calls].count("approval") == 1
    assert not any("Task token: " in m for m in world.messages()), "nobody is asked twice"
    assert world.released_version(env="prod") == 5
    assert world.released_version() is None, "the dev record is untouched"
    assert not world.locked(env="prod")


@pytest.mark.parametrize("status", ["Failed", "InProgress"])
def test_a_pipeline_approval_that_did_not_succeed_promotes_nothing(
    world: World, codepipeline: Stubber, status: str
) -> None:
    _answer(codepipeline, status)
    run = world.promote(promotion(5, env="prod", approval=APPROVAL))
    assert (run.status, run.error) == ("FAILED", "ApprovalNotGranted")
    assert f"pipeline {PIPELINE} execution {EXECUTION}: approval prod.Approve" in run.cause
    assert world.actions(env="prod") == ["promote-started", "rejected"]
    assert world.ledger(env="prod")[1]["outcome"] == "ApprovalNotGranted"
    assert world.released_version(env="prod") is None
    assert not any(n in ("release", "apply") for n, _ in world.router.calls)
    assert not world.locked(env="prod")
    assert any("Promotion failed" in m for m in world.messages())


@pytest.mark.parametrize(
    "approval",
    [
        {"required": False, "timeout_seconds": 60},
        {k: v for k, v in APPROVAL.items() if k != "pipeline_execution_id"},
    ],
    ids=["no approval", "half a reference"],
)
def test_prod_without_a_whole_approval_is_refused_at_intake(
    world: World, approval: dict[str, Any]
) -> None:
    run = world.promote(promotion(5, env="prod", approval=approval))
    assert (run.status, run.error) == ("FAILED", "InvalidEvent")
    assert "approval.required = False: env prod promotions need a person's approval" in run.cause
    assert [n for n, _ in world.router.calls] == ["intake"]
    assert world.ledger_table.scan()["Items"] == []
    assert world.lock_table.scan()["Items"] == []
    assert world.released_version(env="prod") is None
