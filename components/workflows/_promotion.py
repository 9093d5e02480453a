"""States of the promotion workflow (see docs/workflows.md for the diagram)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _asl
from ._approvals import approval_states
from ._asl import RetryPolicy, State, catch, choice, is_true, lambda_task, publish, wait


@dataclass(frozen=True)
class PromotionFunctions:
    """ARNs of the functions the promotion workflow invokes."""

    intake: str
    """`lambdas/intake`: checks the execution input."""
    lock: str
    """`lambdas/lock`: the promotion lock."""
    ledger: str
    """`lambdas/ledger`: appends ledger entries."""
    release: str
    """`lambdas/release`: writes and restores the release record."""
    apply: str
    """`lambdas/apply`: starts and polls the deploy build."""
    verify: str
    """`lambdas/verify`: checks the live endpoint against the release record."""
    bake: str
    """`lambdas/bake`: one look at the target's alarms."""
    approval: str
    """`lambdas/approval`: who granted the pipeline approval the input names."""


CONTEXT: dict[str, Any] = {
    "written": {"previous": None, "previous_version": 0, "previous_endpoint_config": ""},
    "approval": {"approved": False, "approver": "", "comment": "", "approved_at": ""},
    "verify": {"state": "pending", "attempt": 0},
    "bake": {"alarm": False, "alarm_name": "", "check": 0, "done": False},
    "restored": {"restored_version": 0, "package_arn": "", "image_digest": "", "commit": ""},
    "error": {"Error": "", "Cause": ""},
}
"""Defaults under `$.ctx`, so every path a later state reads exists on every path."""

_TARGET = {"env.$": "$.env", "target.$": "$.target"}


def _ledger_event(action: str, step: int, **fields: str) -> dict[str, Any]:
    event: dict[str, Any] = {
        **_TARGET,
        "action": action,
        "step": step,
        "actor.$": "$.actor",
        "execution_arn.$": "$$.Execution.Id",
        "started_at.$": "$$.Execution.StartTime",
        "version.$": "$.release.version",
        "package_arn.$": "$.release.package_arn",
        "image_digest.$": "$.release.image_digest",
        "commit.$": "$.release.commit",
    }
    event.update(fields)
    return event


def _lock_event(action: str) -> dict[str, Any]:
    return {
        **_TARGET,
        "action": action,
        "owner.$": "$$.Execution.Name",
        "ttl_seconds.$": "$.lock_ttl_seconds",
    }


def _forward(fn: PromotionFunctions, retry: RetryPolicy) -> dict[str, State]:
    record = {**_TARGET, "action": "write", "record.$": "$.release"}
    status = {"action": "status", "build_id.$": "$.ctx.apply.build_id"}
    verify = {
        **_TARGET,
        "previous_endpoint_config.$": "$.ctx.written.previous_endpoint_config",
        "attempt.$": "$.ctx.verify.attempt",
        "max_attempts.$": "$.timing.max_polls",
    }
    bake = {
        **_TARGET,
        "owner.$": "$$.Execution.Name",
        "alarm_names.$": "$.bake.alarm_names",
        "check.$": "$.ctx.bake.check",
        "checks.$": "$.bake.checks",
    }
    silent = [catch("LedgerSilentRollback", ("SilentRollback",))]
    return {
        "WriteRelease": lambda_task(
            fn.release,
            record,
            next_state="StartApply",
            result_path="$.ctx.written",
            on_error="LedgerFailed",
            retry=retry,
        ),
        "StartApply": lambda_task(
            fn.apply,
            {**_TARGET, "action": "start", "version.$": "$.release.version"},
            next_state="ApplyWait",
            result_path="$.ctx.apply",
            on_error="RollBack",
            retry=retry,
        ),
        "ApplyWait": wait("$.timing.poll_seconds", "ApplyStatus"),
        "ApplyStatus": lambda_task(
            fn.apply,
            status,
            next_state="ApplyDone",
            result_path="$.ctx.apply_status",
            on_error="RollBack",
            retry=retry,
        ),
        "ApplyDone": choice([is_true("$.ctx.apply_status.done", "Verify")], "ApplyWait"),
        "Verify": lambda_task(
            fn.verify,
            verify,
            next_state="Verified",
            result_path="$.ctx.verify",
            on_error="RollBack",
            retry=retry,
            catches=silent,
        ),
        "Verified": choice(
            [{"Variable": "$.ctx.verify.state", "StringEquals": "verified", "Next": "BakeWait"}],
            "VerifyWait",
        ),
        "VerifyWait": wait("$.timing.poll_seconds", "Verify"),
        "BakeWait": wait("$.bake.interval_seconds", "BakeCheck"),
        "BakeCheck": lambda_task(
            fn.bake,
            bake,
            next_state="BakeDecision",
            result_path="$.ctx.bake",
            on_error="RollBack",
            retry=retry,
        ),
        "BakeDecision": choice(
            [
                is_true("$.ctx.bake.alarm", "AlarmFired"),
                is_true("$.ctx.bake.done", "LedgerPromoted"),
            ],
            "BakeWait",
        ),
        "AlarmFired": {
            "Type": "Pass",
            "Parameters": {
                "Error": "CanaryAlarm",
                "Cause.$": "States.Format('alarm {} fired during the bake; rolled back', "
                "$.ctx.bake.alarm_name)",
            },
            "ResultPath": "$.ctx.error",
            "Next": "RollBack",
        },
        "LedgerSilentRollback": lambda_task(
            fn.ledger,
            _ledger_event(
                "silent-rollback",
                5,
                **{"outcome.$": "$.ctx.error.Error", "reason.$": "$.ctx.error.Cause"},
            ),
            next_state="RollBack",
            result_path=None,
            on_error="RollBack",
            retry=retry,
        ),
        "LedgerPromoted": lambda_task(
            fn.ledger,
            _ledger_event(
                "promoted", 6, outcome="succeeded", **{"approval.$": "$.ctx.approval.approver"}
            ),
            next_state="MarkServing",
            result_path=None,
            on_error="MarkServing",
            retry=retry,
        ),
        "MarkServing": lambda_task(
            fn.release,
            {**_TARGET, "action": "mark", "package_arn.$": "$.release.package_arn"},
            next_state="UnlockPromoted",
            result_path=None,
            on_error="UnlockPromoted",
            retry=retry,
            comment="Best effort: the ledger already says what serves.",
        ),
        "UnlockPromoted": lambda_task(
            fn.lock,
            _lock_event("release"),
            next_state="NotifyPromoted",
            result_path=None,
            on_error="NotifyPromoted",
            retry=retry,
        ),
    }


def _rollback(fn: PromotionFunctions, retry: RetryPolicy) -> dict[str, State]:
    restore = {**_TARGET, "action": "restore", "previous.$": "$.ctx.written.previous"}
    start = {**_TARGET, "action": "start", "version.$": "$.ctx.written.previous_version"}
    status = {"action": "status", "build_id.$": "$.ctx.apply.build_id"}
    verify = {
        **_TARGET,
        "previous_endpoint_config": "",
        "attempt.$": "$.ctx.verify.attempt",
        "max_attempts.$": "$.timing.max_polls",
    }
    rolled_back = _ledger_event(
        "rolled-back",
        7,
        **{
            "version.$": "$.ctx.restored.restored_version",
            "package_arn.$": "$.ctx.restored.package_arn",
            "image_digest.$": "$.ctx.restored.image_digest",
            "commit.$": "$.ctx.restored.commit",
            "outcome.$": "$.ctx.error.Error",
            "reason.$": "$.ctx.error.Cause",
            "alarm.$": "$.ctx.bake.alarm_name",
            "approval.$": "$.ctx.approval.approver",
        },
    )
    return {
        "RollBack": lambda_task(
            fn.release,
            restore,
            next_state="RollbackApply",
            result_path="$.ctx.restored",
            on_error="RollbackFailed",
            retry=retry,
            comment="Write the previous release record back.",
        ),
        "RollbackApply": lambda_task(
            fn.apply,
            start,
            next_state="RollbackApplyWait",
            result_path="$.ctx.apply",
            on_error="RollbackFailed",
            retry=retry,
        ),
        "RollbackApplyWait": wait("$.timing.poll_seconds", "RollbackApplyStatus"),
        "RollbackApplyStatus": lambda_task(
            fn.apply,
            status,
            next_state="RollbackApplyDone",
            result_path="$.ctx.apply_status",
            on_error="RollbackFailed",
            retry=retry,
        ),
        "RollbackApplyDone": choice(
            [is_true("$.ctx.apply_status.done", "HasPrevious")], "RollbackApplyWait"
        ),
        "HasPrevious": choice(
            [
                {
                    "Variable": "$.ctx.written.previous_version",
                    "NumericGreaterThan": 0,
                    "Next": "RollbackVerifyReset",
                }
            ],
            "LedgerRolledBack",
        ),
        "RollbackVerifyReset": {
            "Type": "Pass",
            "Result": {"state": "pending", "attempt": 0},
            "ResultPath": "$.ctx.verify",
            "Next": "RollbackVerify",
        },
        "RollbackVerify": lambda_task(
            fn.verify,
            verify,
            next_state="RollbackVerified",
            result_path="$.ctx.verify",
            on_error="RollbackFailed",
            retry=retry,
        ),
        "RollbackVerified": choice(
            [
                {
                    "Variable": "$.ctx.verify.state",
                    "StringEquals": "verified",
                    "Next": "LedgerRolledBack",
                }
            ],
            "RollbackVerifyWait",
        ),
        "RollbackVerifyWait": wait("$.timing.poll_seconds", "RollbackVerify"),
        "LedgerRolledBack": lambda_task(
            fn.ledger,
            rolled_back,
            next_state="UnlockRolledBack",
            result_path=None,
            on_error="UnlockRolledBack",
            retry=retry,
        ),
        "UnlockRolledBack": lambda_task(
            fn.lock,
            _lock_event("release"),
            next_state="NotifyRolledBack",
            result_path=None,
            on_error="NotifyRolledBack",
            retry=retry,
        ),
        "RollbackFailed": {
            "Type": "Pass",
            "Parameters": {
                "Error": "RollbackFailed",
                "Cause.$": "States.Format('rollback did not complete, an operator must act: "
                "{}: {}', $.ctx.error.Error, $.ctx.error.Cause)",
            },
            "ResultPath": "$.ctx.error",
            "Next": "LedgerFailed",
        },
    }


def _compensation(fn: PromotionFunctions, topic_arn: str, retry: RetryPolicy) -> dict[str, State]:
    failed = {"outcome.$": "$.ctx.error.Error", "reason.$": "$.ctx.error.Cause"}
    no_approval = {**failed, "approval.$": "$.ctx.approval.approver"}
    return {
        "LedgerLockHeld": lambda_task(
            fn.ledger,
            _ledger_event("failed", 1, outcome="lock-held", **{"reason.$": "$.ctx.error.Cause"}),
            next_state="NotifyLockHeld",
            result_path=None,
            on_error="NotifyLockHeld",
            retry=retry,
        ),
        "NotifyLockHeld": publish(
            topic_arn, "Promotion not started, target locked", "PromotionFailed", retry
        ),
        "LedgerNoApproval": lambda_task(
            fn.ledger,
            _ledger_event("rejected", 3, **no_approval),
            next_state="UnlockFailed",
            result_path=None,
            on_error="UnlockFailed",
            retry=retry,
        ),
        "LedgerFailed": lambda_task(
            fn.ledger,
            _ledger_event("failed", 9, **failed),
            next_state="UnlockFailed",
            result_path=None,
            on_error="UnlockFailed",
            retry=retry,
        ),
        "UnlockFailed": lambda_task(
            fn.lock,
            _lock_event("release"),
            next_state="NotifyFailed",
            result_path=None,
            on_error="NotifyFailed",
            retry=retry,
        ),
        "NotifyFailed": publish(topic_arn, "Promotion failed", "PromotionFailed", retry),
        "NotifyRolledBack": publish(topic_arn, "Promotion rolled back", "PromotionFailed", retry),
        "NotifyPromoted": publish(topic_arn, "Promotion succeeded", "Promoted", retry),
        "Promoted": {"Type": "Succeed"},
        "PromotionFailed": _asl.fail_from_context(),
    }


def promotion_states(
    fn: PromotionFunctions, topic_arn: str, retry: RetryPolicy
) -> dict[str, State]:
    """Every state of the promotion workflow, by name."""
    intake = {"kind": "promotion", "input.$": "$"}
    return {
        "Init": {"Type": "Pass", "Result": CONTEXT, "ResultPath": "$.ctx", "Next": "CheckInput"},
        "CheckInput": lambda_task(
            fn.intake,
            intake,
            next_state="AcquireLock",
            result_path=None,
            on_error="InputRejected",
            retry=retry,
            comment="Nothing is written before the input is known good.",
        ),
        "InputRejected": _asl.fail_from_context(),
        "AcquireLock": lambda_task(
            fn.lock,
            _lock_event("acquire"),
            next_state="LedgerStarted",
            result_path=None,
            on_error="LedgerFailed",
            retry=retry,
            catches=[catch("LedgerLockHeld", ("LockHeld",))],
        ),
        "LedgerStarted": lambda_task(
            fn.ledger,
            _ledger_event("promote-started", 2),
            next_state="NeedsApproval",
            result_path=None,
            on_error="LedgerFailed",
            retry=retry,
        ),
        **approval_states(fn.approval, topic_arn, retry),
        "LedgerApproved": lambda_task(
            fn.ledger,
            _ledger_event(
                "approved",
                3,
                **{
                    "approval.$": "$.ctx.approval.approver",
                    "comment.$": "$.ctx.approval.comment",
                    "approved_at.$": "$.ctx.approval.approved_at",
                },
            ),
            next_state="WriteRelease",
            result_path=None,
            on_error="LedgerFailed",
            retry=retry,
        ),
        **_forward(fn, retry),
        **_rollback(fn, retry),
        **_compensation(fn, topic_arn, retry),
    }
