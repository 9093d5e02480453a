"""The pipeline approval a promotion names, and who granted it, as plain values.

Pure and standard-library only: the deploy input (`components/delivery/deploy_input.py`)
writes the reference, the intake checks it, and the approval handler reads CodePipeline's
`ListActionExecutions` details of that pipeline execution with `approval_record`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

REFERENCE_FIELDS = ("pipeline", "stage", "action", "pipeline_execution_id")
"""The keys of an approval block that name a pipeline's Manual approval, all or none."""

SUCCEEDED = "Succeeded"
"""CodePipeline's status of an approval action someone approved."""


def approval_record(
    action_executions: Sequence[Mapping[str, Any]], stage: str, action: str
) -> dict[str, str] | None:
    """Who approved and what they wrote, from `ListActionExecutions` details of one execution.

    Returns `{"approver", "comment", "approved_at"}` of the succeeded approval action `action`
    of `stage`, or None when it has not succeeded (rejected, still waiting, or absent).
    A stage retried after a rejection has several executions of the action: the succeeded one
    counts.
    """
    for detail in action_executions:
        if (detail.get("stageName"), detail.get("actionName")) != (stage, action):
            continue
        if detail.get("status") != SUCCEEDED:
            continue
        result = detail.get("output", {}).get("executionResult", {})
        return {
            "approver": str(detail.get("updatedBy", "")),
            "comment": str(result.get("externalExecutionSummary", "")),
            "approved_at": _iso(detail.get("lastUpdateTime")),
        }
    return None


def _iso(when: object) -> str:
    if isinstance(when, datetime):
        return when.isoformat()
    return "" if when is None else str(when)
