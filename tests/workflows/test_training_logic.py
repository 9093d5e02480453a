"""The training definition executed by the pure interpreter: every path, field by field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .pure_training import PACKAGE, Trainer, training_input
from .pure_world import ENV, TARGET

EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:m:train-1"
DIGEST = "sha256:" + "ab" * 32


def entry(world: Trainer, action: str) -> dict[str, Any]:
    """The one ledger entry of `action`, as a dict."""
    (found,) = [vars(e) for e in world.ledger if e.action == action]
    return found


def calls(world: Trainer, state: str) -> list[dict[str, Any]]:
    """Events of every call made by `state`."""
    return [event for name, _, event in world.events if name == state]


def test_a_better_challenger_is_registered_with_its_lineage() -> None:
    world = Trainer(champion={"auc": 0.8}, train_busy=1)
    run = world.run(training_input())
    assert (run.status, run.error) == ("SUCCEEDED", "")
    assert run.trace[-1] == "Registered"
    assert world.actions() == ["training-started", "registered"]
    common = {
        "env": ENV,
        "target": TARGET,
        "actor": "schedule/nightly",
        "execution_arn": EXECUTION,
        "started_at": "2026-01-01T00:00:00Z",
        "image_digest": DIGEST,
        "commit": "c0ffee99",
    }
    started = entry(world, "training-started")
    assert {k: started[k] for k in (*common, "step", "outcome", "version")} == {
        **common,
        "step": 2,
        "outcome": "",
        "version": 0,
    }
    registered = entry(world, "registered")
    assert {k: registered[k] for k in (*common, "step", "outcome", "version", "package_arn")} == {
        **common,
        "step": 5,
        "outcome": "registered",
        "version": 2,
        "package_arn": PACKAGE.format(2),
    }
    assert world.registered == [
        {
            "action": "register",
            "package_group": "fraud",
            "image": "fraud:2",
            "image_digest": DIGEST,
            "model_data_url": "s3://models/fraud/train-1/model.tar.gz",
            "metrics": {"auc": 0.9},
            "lineage": {
                "commit": "c0ffee99",
                "data_uri": "s3://data/fraud/train.csv",
                "data_sha256": "d" * 64,
                "actor": "schedule/nightly",
                "execution_arn": EXECUTION,
                "job_name": "train-1",
            },
            "hyperparameters": {"max_depth": "6"},
        }
    ]
    assert world.lock_owner is None
    assert [n["Subject"] for n in world.notices] == ["Model registered, pending approval"]
    assert run.waits == [("TrainWait", 9), ("TrainWait", 9)]


def test_each_step_gets_what_it_needs() -> None:
    world = Trainer()
    world.run(training_input())
    lock = {
        "env": ENV,
        "target": f"{TARGET}.training",
        "owner": "train-1",
        "ttl_seconds": 600,
    }
    assert calls(world, "AcquireLock") == [{**lock, "action": "acquire"}]
    assert calls(world, "UnlockRegistered") == [{**lock, "action": "release"}]
    (intake,) = calls(world, "CheckInput")
    assert set(intake["input"].pop("ctx")) == {"training_status", "gate", "registered", "error"}
    assert intake == {"kind": "training", "input": training_input()}
    assert calls(world, "ValidateData") == [
        {
            "action": "validate",
            "data_uri": "s3://data/fraud/train.csv",
            "expected_columns": ["amount", "label"],
            "min_rows": 2,
        }
    ]
    assert calls(world, "StartTraining") == [
        {
            "action": "start",
            "job_name": "train-1",
            "image": "fraud:2",
            "data_uri": "s3://data/fraud/train.csv",
            "output_uri": "s3://models/fraud",
            "hyperparameters": {"max_depth": "6"},
        }
    ]
    assert calls(world, "TrainStatus") == [{"action": "status", "job_name": "train-1"}]
    assert calls(world, "Evaluate") == [
        {"action": "evaluate", "output_uri": "s3://models/fraud", "job_name": "train-1"}
    ]
    assert calls(world, "Gate") == [
        {
            "endpoint_name": "fraud-endpoint",
            "challenger_metrics": {"auc": 0.9},
            "criteria": training_input()["criteria"],
        }
    ]


def test_a_worse_challenger_registers_nothing_and_records_the_gate_s_reasons() -> None:
    world = Trainer(champion={"auc": 0.95})
    run = world.run(training_input())
    assert (run.status, run.trace[-1]) == ("SUCCEEDED", "NotRegistered")
    assert world.registered == []
    assert world.actions() == ["training-started", "gate-rejected"]
    rejected = entry(world, "gate-rejected")
    assert (rejected["step"], rejected["outcome"]) == (5, "challenger-worse")
    reasons = json.loads(rejected["reason"])
    assert reasons
    assert all(r.startswith("auc: ") for r in reasons)
    assert world.lock_owner is None
    assert [n["Subject"] for n in world.notices] == [
        "Challenger rejected by the gate, nothing registered"
    ]


@pytest.mark.parametrize(
    "state",
    [
        "LedgerStarted",
        "ValidateData",
        "StartTraining",
        "TrainStatus",
        "Evaluate",
        "Gate",
        "Register",
    ],
)
def test_a_failing_step_registers_nothing_records_why_and_unlocks(state: str) -> None:
    world = Trainer()
    world.fail(state, "Boom")
    run = world.run(training_input())
    assert (run.status, run.error, run.cause) == ("FAILED", "Boom", f"Boom in {state}")
    failed = entry(world, "training-failed")
    assert (failed["step"], failed["outcome"], failed["reason"]) == (9, "Boom", f"Boom in {state}")
    assert world.lock_owner is None
    assert [n["Subject"] for n in world.notices] == ["Training failed"]
    assert world.notices[0]["Message"] == (
        f"Training failed: {TARGET} in {ENV} by schedule/nightly ({EXECUTION})"
    )


def test_a_held_lock_is_recorded_and_left_to_its_owner() -> None:
    world = Trainer(lock_owner="train-0")
    run = world.run(training_input())
    assert (run.status, run.error) == ("FAILED", "LockHeld")
    failed = entry(world, "training-failed")
    assert (failed["step"], failed["outcome"]) == (1, "lock-held")
    assert failed["reason"] == run.cause
    assert world.lock_owner == "train-0"
    assert not any(name.startswith("Unlock") for name in run.trace)


def test_a_malformed_input_fails_before_anything_is_locked_or_written() -> None:
    world = Trainer()
    run = world.run(training_input(data_uri="http://data"))
    assert (run.status, run.error) == ("FAILED", "InvalidEvent")
    assert run.trace == ["Init", "CheckInput", "InputRejected"]
    assert (world.ledger, world.lock_owner, world.notices) == ([], None, [])


@pytest.mark.parametrize(
    ("state", "champion", "end"),
    [
        ("LedgerRegistered", None, "Registered"),
        ("UnlockRegistered", None, "Registered"),
        ("NotifyRegistered", None, "Registered"),
        ("LedgerGateRejected", {"auc": 0.99}, "NotRegistered"),
        ("UnlockRejected", {"auc": 0.99}, "NotRegistered"),
        ("NotifyRejected", {"auc": 0.99}, "NotRegistered"),
    ],
)
def test_best_effort_endings_go_on_when_they_fail(
    state: str, champion: dict[str, float] | None, end: str
) -> None:
    world = Trainer(champion=champion)
    world.fail(state, "Boom")
    run = world.run(training_input())
    assert (run.status, run.trace[-1]) == ("SUCCEEDED", end)
    assert world.lock_owner is None or state.startswith("Unlock")


@pytest.mark.parametrize(
    "state", ["LedgerFailed", "UnlockFailed", "NotifyFailed", "LedgerLockHeld"]
)
def test_best_effort_failure_steps_keep_the_error_being_recorded(state: str) -> None:
    world = Trainer(lock_owner="train-0" if state == "LedgerLockHeld" else None)
    if state != "LedgerLockHeld":
        world.fail("Evaluate", "Gone")
    world.fail(state, "Boom")
    run = world.run(training_input())
    assert run.status == "FAILED"
    assert run.error == ("LockHeld" if state == "LedgerLockHeld" else "Gone")
    assert run.trace[-1] == "TrainingFailed"


def test_transient_errors_are_retried_with_backoff() -> None:
    world = Trainer()
    world.fail("Register", "Lambda.TooManyRequestsException", "Throttled")
    run = world.run(training_input())
    assert run.status == "SUCCEEDED"
    assert run.retries == [
        ("Register", "Lambda.TooManyRequestsException", 2.0),
        ("Register", "Throttled", 4.0),
    ]
