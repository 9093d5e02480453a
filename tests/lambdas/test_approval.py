"""The pipeline approval reader: the pure record, and the handler on a stubbed CodePipeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from mlops_platform.lambdas.approval.handler import ApprovalNotGranted, handler
from mlops_platform.lambdas.common import aws
from mlops_platform.lambdas.common.approval import approval_record
from mlops_platform.lambdas.common.events import InvalidEvent

WHEN = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
APPROVER = "arn:aws:sts::111111111111:assumed-role/approve/ana"
EXECUTION = "4f0c9b7e-1d2a-4c3b-9e8f-0123456789ab"
EVENT = {"pipeline": "prod-fd-cd", "stage": "prod", "action": "Approve",
         "pipeline_execution_id": EXECUTION}  # fmt: skip


def detail(
    status: str, stage: str = "prod", action: str = "Approve", **extra: Any
) -> dict[str, Any]:
    """One `ListActionExecutions` detail."""
    return {"stageName": stage, "actionName": action, "status": status, **extra}


APPROVED = detail(
    "Succeeded",
    updatedBy=APPROVER,
    lastUpdateTime=WHEN,
    output={"executionResult": {"externalExecutionSummary": "metrics look good"}},
)
RECORD = {"approver": APPROVER, "comment": "metrics look good", "approved_at": WHEN.isoformat()}


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        ([detail("Succeeded", "staging", "Deploy"), APPROVED], RECORD),
        ([detail("Failed", updatedBy="bob"), APPROVED], RECORD),
        ([{**APPROVED, "output": {}}], {**RECORD, "comment": ""}),
        ([{**APPROVED, "lastUpdateTime": None}], {**RECORD, "approved_at": ""}),
        ([{**APPROVED, "status": "InProgress"}], None),
        ([{**APPROVED, "status": "Failed"}], None),
        ([{**APPROVED, "stageName": "staging"}], None),
        ([{**APPROVED, "actionName": "Deploy"}], None),
        ([], None),
    ],
    ids=[
        "other actions first",
        "retried after a rejection",
        "no comment",
        "no time",
        "waiting",
        "rejected",
        "other stage",
        "other action",
        "none",
    ],
)
def test_approval_record_takes_the_succeeded_action_of_that_stage(
    details: list[dict[str, Any]], expected: dict[str, str] | None
) -> None:
    assert approval_record(details, "prod", "Approve") == expected


@pytest.fixture
def codepipeline(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    """The handler's client, answered by a Stubber that checks each request."""
    client = boto3.client("codepipeline", region_name="us-east-1")
    monkeypatch.setattr(aws, "client", lambda service: client)
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def _page(details: list[dict[str, Any]], token: str = "") -> dict[str, Any]:
    return {"actionExecutionDetails": details, **({"nextToken": token} if token else {})}


def _request(after: str = "") -> dict[str, Any]:
    request: dict[str, Any] = {"pipelineName": "prod-fd-cd",
                               "filter": {"pipelineExecutionId": EXECUTION}}  # fmt: skip
    return {**request, "nextToken": after} if after else request


def test_the_handler_reads_every_page_of_that_execution(codepipeline: Stubber) -> None:
    codepipeline.add_response("list_action_executions", _page([], "t2"), _request())
    codepipeline.add_response("list_action_executions", _page([APPROVED]), _request("t2"))
    assert handler(EVENT, None) == {"approved": True, **RECORD}


def test_an_approval_not_granted_raises_with_what_was_looked_for(codepipeline: Stubber) -> None:
    codepipeline.add_response("list_action_executions", _page([detail("Failed")]), _request())
    with pytest.raises(ApprovalNotGranted) as raised:
        handler(EVENT, None)
    assert str(raised.value) == (
        f"pipeline prod-fd-cd execution {EXECUTION}: approval prod.Approve has not succeeded; "
        "nothing was deployed"
    )


def test_a_malformed_event_calls_nothing(codepipeline: Stubber) -> None:
    with pytest.raises(InvalidEvent) as raised:
        handler({"pipeline": "prod-fd-cd", "stage": "prod", "action": "#{x}"}, None)
    assert str(raised.value) == (
        "pipeline approval event is invalid (2 problems): "
        "action = '#{x}': must be 1-63 letters, digits, '-', '_' or '.'; "
        "pipeline_execution_id = '<missing>': is required"
    )
