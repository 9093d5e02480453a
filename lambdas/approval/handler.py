"""Read who approved a promotion in the pipeline, and their comment, from CodePipeline.

Env: none. Event: `{"pipeline", "stage", "action", "pipeline_execution_id"}`, the pipeline
approval the execution input names. Returns `{"approved": true, "approver", "comment",
"approved_at"}` (the shape of `$.ctx.approval`); raises `ApprovalNotGranted` when that
approval action of that pipeline execution has not succeeded, so nothing is written.
The workflow's role may list action executions of its own environment's pipelines only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..common import aws
from ..common.approval import approval_record
from ..common.events import Reader


class ApprovalNotGranted(RuntimeError):  # noqa: N818 - the name a Step Functions Catch matches.
    """The named pipeline approval did not succeed: nobody approved this execution."""


def _action_executions(client: Any, pipeline: str, execution_id: str) -> list[dict[str, Any]]:
    """Every action execution of one pipeline execution, across pages."""
    details: list[dict[str, Any]] = []
    request: dict[str, Any] = {
        "pipelineName": pipeline,
        "filter": {"pipelineExecutionId": execution_id},
    }
    while True:
        page = client.list_action_executions(**request)
        details.extend(page.get("actionExecutionDetails", []))
        token = page.get("nextToken")
        if not token:
            return details
        request["nextToken"] = token


def handler(event: Mapping[str, object], _context: object) -> dict[str, object]:
    """The approver and comment of the named pipeline approval, or `ApprovalNotGranted`."""
    reader = Reader("pipeline approval event", event)
    pipeline, stage = reader.name("pipeline"), reader.name("stage")
    action, execution_id = reader.name("action"), reader.name("pipeline_execution_id")
    reader.done(None)
    details = _action_executions(aws.client("codepipeline"), pipeline, execution_id)
    record = approval_record(details, stage, action)
    if record is None:
        raise ApprovalNotGranted(
            f"pipeline {pipeline} execution {execution_id}: approval {stage}.{action} has not "
            "succeeded; nothing was deployed"
        )
    return {"approved": True, **record}
