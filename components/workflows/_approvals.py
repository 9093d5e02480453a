"""The promotion's approval states: the pipeline's Manual approval, or the workflow's own.

A promotion has one approval at most. When the input's approval block names a pipeline
approval (the deploy stage had a Manual approval before it), the workflow asks nobody: it
reads who approved and their comment from CodePipeline (`lambdas/approval`) and records
them as the task-token path does, in `$.ctx.approval`. Otherwise `approval.required` asks a
person by task token. Both lead to `ApprovalDecision`, then `LedgerApproved` or the
no-approval path (`LedgerNoApproval`: nothing written, lock released).
"""

from __future__ import annotations

from . import _asl
from ._asl import RetryPolicy, State, catch, choice, is_true, lambda_task

PIPELINE_REFERENCE = "$.approval.pipeline_execution_id"
"""Present exactly when the block names a pipeline approval (the intake checks it is whole)."""


def approval_states(function_arn: str, topic_arn: str, retry: RetryPolicy) -> dict[str, State]:
    """`NeedsApproval` and what follows it, up to `LedgerApproved` or `LedgerNoApproval`.

    Args:
        function_arn: The approval function (`lambdas/approval`).
        topic_arn: Where the task-token approval request goes.
        retry: Retry of transient errors.
    """
    message = (
        "States.Format('Approve promotion of {} version {} in {} (execution {}). "
        "Send task success with approved and approver. Task token: {}', "
        "$.target, $.release.version, $.env, $$.Execution.Id, $$.Task.Token)"
    )
    reference = {
        "pipeline.$": "$.approval.pipeline",
        "stage.$": "$.approval.stage",
        "action.$": "$.approval.action",
        "pipeline_execution_id.$": PIPELINE_REFERENCE,
    }
    return {
        "NeedsApproval": choice(
            [
                {"Variable": PIPELINE_REFERENCE, "IsPresent": True, "Next": "PipelineApproval"},
                is_true("$.approval.required", "RequestApproval"),
            ],
            "WriteRelease",
        ),
        "PipelineApproval": lambda_task(
            function_arn,
            reference,
            next_state="ApprovalDecision",
            result_path="$.ctx.approval",
            on_error="LedgerFailed",
            retry=retry,
            catches=[catch("LedgerNoApproval", ("ApprovalNotGranted",))],
            comment="Who approved in the pipeline, and their comment; nobody is asked again.",
        ),
        "RequestApproval": {
            "Type": "Task",
            "Comment": "Wait for a person; the task result is {approved: bool, approver: str}.",
            "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
            "Parameters": {
                "TopicArn": topic_arn,
                "Subject": "Promotion approval",
                "Message.$": message,
            },
            "TimeoutSecondsPath": "$.approval.timeout_seconds",
            "ResultSelector": {
                "approved.$": "$.approved",
                "approver.$": "$.approver",
                "comment": "",
                "approved_at": "",
            },
            "ResultPath": "$.ctx.approval",
            "Retry": retry.retriers(("SNS.ThrottledException", "SNS.InternalErrorException")),
            "Catch": [catch("ApprovalTimedOut", ("States.Timeout",)), catch("LedgerFailed")],
            "Next": "ApprovalDecision",
        },
        "ApprovalDecision": choice(
            [is_true("$.ctx.approval.approved", "LedgerApproved")], "ApprovalRejected"
        ),
        "ApprovalTimedOut": _asl.set_error(
            "ApprovalTimedOut",
            "nobody approved the promotion in time; nothing was deployed",
            "LedgerNoApproval",
        ),
        "ApprovalRejected": _asl.set_error(
            "ApprovalRejected",
            "the approver rejected the promotion; nothing was deployed",
            "LedgerNoApproval",
        ),
    }
