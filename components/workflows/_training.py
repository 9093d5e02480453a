"""States of the training and registration workflow (see docs/workflows.md for the diagram)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _asl
from ._asl import RetryPolicy, State, catch, choice, is_true, lambda_task, publish, wait


@dataclass(frozen=True)
class TrainingFunctions:
    """ARNs of the functions the training workflow invokes."""

    intake: str
    """`lambdas/intake`: checks the execution input."""
    lock: str
    """`lambdas/lock`: the training lock (`<target>.training`)."""
    ledger: str
    """`lambdas/ledger`: appends ledger entries."""
    training: str
    """`lambdas/training`: validate data, start/poll the job, evaluate, register."""
    gate: str
    """`lambdas/gate`: champion/challenger decision against the live endpoint."""


CONTEXT: dict[str, Any] = {
    "training_status": {"status": "", "done": False, "model_data_url": ""},
    "gate": {"accept": False, "reasons": [], "champion_package_arn": ""},
    "registered": {"package_arn": "", "version": 0},
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
        "image_digest.$": "$.image.digest",
        "commit.$": "$.commit",
    }
    event.update(fields)
    return event


def _lock_event(action: str) -> dict[str, Any]:
    return {
        "env.$": "$.env",
        "target.$": "States.Format('{}.training', $.target)",
        "action": action,
        "owner.$": "$$.Execution.Name",
        "ttl_seconds.$": "$.lock_ttl_seconds",
    }


def _steps(fn: TrainingFunctions, retry: RetryPolicy) -> dict[str, State]:
    def task(resource: str, params: dict[str, Any], next_state: str, result: str | None) -> State:
        return lambda_task(
            resource,
            params,
            next_state=next_state,
            result_path=result,
            on_error="LedgerFailed",
            retry=retry,
        )

    validate = {
        "action": "validate",
        "data_uri.$": "$.data_uri",
        "expected_columns.$": "$.expected_columns",
        "min_rows.$": "$.min_rows",
    }
    start = {
        "action": "start",
        "job_name.$": "$.job_name",
        "image.$": "$.image.uri",
        "data_uri.$": "$.data_uri",
        "output_uri.$": "$.output_uri",
        "hyperparameters.$": "$.hyperparameters",
    }
    gate = {
        "endpoint_name.$": "$.endpoint_name",
        "challenger_metrics.$": "$.ctx.evaluation.metrics",
        "criteria.$": "$.criteria",
    }
    lineage = {
        "commit.$": "$.commit",
        "data_uri.$": "$.data_uri",
        "data_sha256.$": "$.ctx.data.sha256",
        "actor.$": "$.actor",
        "execution_arn.$": "$$.Execution.Id",
        "job_name.$": "$.job_name",
    }
    register = {
        "action": "register",
        "package_group.$": "$.package_group",
        "image.$": "$.image.uri",
        "image_digest.$": "$.image.digest",
        "model_data_url.$": "$.ctx.training_status.model_data_url",
        "metrics.$": "$.ctx.evaluation.metrics",
        "lineage": lineage,
        "hyperparameters.$": "$.hyperparameters",
    }
    return {
        "ValidateData": task(fn.training, validate, "StartTraining", "$.ctx.data"),
        "StartTraining": task(fn.training, start, "TrainWait", None),
        "TrainWait": wait("$.timing.poll_seconds", "TrainStatus"),
        "TrainStatus": task(
            fn.training,
            {"action": "status", "job_name.$": "$.job_name"},
            "TrainDone",
            "$.ctx.training_status",
        ),
        "TrainDone": choice([is_true("$.ctx.training_status.done", "Evaluate")], "TrainWait"),
        "Evaluate": task(
            fn.training,
            {"action": "evaluate", "output_uri.$": "$.output_uri", "job_name.$": "$.job_name"},
            "Gate",
            "$.ctx.evaluation",
        ),
        "Gate": task(fn.gate, gate, "GateDecision", "$.ctx.gate"),
        "GateDecision": choice([is_true("$.ctx.gate.accept", "Register")], "LedgerGateRejected"),
        "Register": task(fn.training, register, "LedgerRegistered", "$.ctx.registered"),
    }


def _endings(fn: TrainingFunctions, topic_arn: str, retry: RetryPolicy) -> dict[str, State]:
    def best_effort(resource: str, params: dict[str, Any], next_state: str) -> State:
        return lambda_task(
            resource,
            params,
            next_state=next_state,
            result_path=None,
            on_error=next_state,
            retry=retry,
        )

    registered = {
        "outcome": "registered",
        "version.$": "$.ctx.registered.version",
        "package_arn.$": "$.ctx.registered.package_arn",
    }
    rejected = {
        "outcome": "challenger-worse",
        "reason.$": "States.JsonToString($.ctx.gate.reasons)",
    }
    failed = {"outcome.$": "$.ctx.error.Error", "reason.$": "$.ctx.error.Cause"}
    return {
        "LedgerRegistered": best_effort(
            fn.ledger, _ledger_event("registered", 5, **registered), "UnlockRegistered"
        ),
        "UnlockRegistered": best_effort(fn.lock, _lock_event("release"), "NotifyRegistered"),
        "NotifyRegistered": publish(
            topic_arn, "Model registered, pending approval", "Registered", retry
        ),
        "Registered": {"Type": "Succeed"},
        "LedgerGateRejected": best_effort(
            fn.ledger, _ledger_event("gate-rejected", 5, **rejected), "UnlockRejected"
        ),
        "UnlockRejected": best_effort(fn.lock, _lock_event("release"), "NotifyRejected"),
        "NotifyRejected": publish(
            topic_arn, "Challenger rejected by the gate, nothing registered", "NotRegistered", retry
        ),
        "NotRegistered": {"Type": "Succeed"},
        "LedgerLockHeld": best_effort(
            fn.ledger,
            _ledger_event(
                "training-failed", 1, outcome="lock-held", **{"reason.$": "$.ctx.error.Cause"}
            ),
            "NotifyFailed",
        ),
        "LedgerFailed": best_effort(
            fn.ledger, _ledger_event("training-failed", 9, **failed), "UnlockFailed"
        ),
        "UnlockFailed": best_effort(fn.lock, _lock_event("release"), "NotifyFailed"),
        "NotifyFailed": publish(topic_arn, "Training failed", "TrainingFailed", retry),
        "TrainingFailed": _asl.fail_from_context(),
    }


def training_states(fn: TrainingFunctions, topic_arn: str, retry: RetryPolicy) -> dict[str, State]:
    """Every state of the training workflow, by name."""
    return {
        "Init": {"Type": "Pass", "Result": CONTEXT, "ResultPath": "$.ctx", "Next": "CheckInput"},
        "CheckInput": lambda_task(
            fn.intake,
            {"kind": "training", "input.$": "$"},
            next_state="AcquireLock",
            result_path=None,
            on_error="InputRejected",
            retry=retry,
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
            _ledger_event("training-started", 2),
            next_state="ValidateData",
            result_path=None,
            on_error="LedgerFailed",
            retry=retry,
        ),
        **_steps(fn, retry),
        **_endings(fn, topic_arn, retry),
    }
