"""The definitions as data: statelint clean, every Task guarded, JSONPath only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from moto.events.models import EventPattern
from statelint.linter import Linter

from mlops_platform.components.workflows.definitions import (
    PromotionFunctions,
    RetryPolicy,
    TrainingFunctions,
    alarm_rule_pattern,
    promotion_definition,
    training_definition,
)

ARN = "arn:aws:lambda:us-east-1:123456789012:function:{}"
TOPIC = "arn:aws:sns:us-east-1:123456789012:promotions"


def promotion() -> dict[str, Any]:
    names = ("intake", "lock", "ledger", "release", "apply", "verify", "bake", "approval")
    return promotion_definition(PromotionFunctions(*(ARN.format(n) for n in names)), TOPIC)


def training() -> dict[str, Any]:
    names = ("intake", "lock", "ledger", "training", "gate")
    return training_definition(TrainingFunctions(*(ARN.format(n) for n in names)), TOPIC)


DEFINITIONS = [pytest.param(promotion, id="promotion"), pytest.param(training, id="training")]


@pytest.mark.parametrize("build", DEFINITIONS)
def test_statelint_finds_no_problem(build: Any) -> None:
    assert Linter.validate(build()) == []


@pytest.mark.parametrize("build", DEFINITIONS)
def test_every_task_retries_and_catches(build: Any) -> None:
    for name, state in build()["States"].items():
        if state["Type"] == "Task":
            assert state["Retry"], name
            assert any("States.ALL" in c["ErrorEquals"] for c in state["Catch"]), name


@pytest.mark.parametrize("build", DEFINITIONS)
def test_jsonpath_only(build: Any) -> None:
    text = json.dumps(build())
    assert "JSONata" not in text
    assert '"Assign"' not in text
    assert "{%" not in text


@pytest.mark.parametrize("build", DEFINITIONS)
def test_waits_come_from_the_input(build: Any) -> None:
    waits = [s for s in build()["States"].values() if s["Type"] == "Wait"]
    assert waits
    assert all("SecondsPath" in s and "Seconds" not in s for s in waits)


@pytest.mark.parametrize("build", DEFINITIONS)
def test_choices_read_flat_values(build: Any) -> None:
    for state in build()["States"].values():
        for rule in state.get("Choices", []):
            assert "[" not in rule["Variable"]


def test_retry_policy_reaches_every_task() -> None:
    names = ("intake", "lock", "ledger", "release", "apply", "verify", "bake", "approval")
    definition = promotion_definition(
        PromotionFunctions(*(ARN.format(n) for n in names)), TOPIC, RetryPolicy(1, 5, 1.5)
    )
    retriers = [r for s in definition["States"].values() for r in s.get("Retry", [])]
    assert {(r["IntervalSeconds"], r["MaxAttempts"], r["BackoffRate"]) for r in retriers} == {
        (1, 5, 1.5)
    }


def test_approval_waits_for_a_token_with_a_timeout_from_the_input() -> None:
    state = promotion()["States"]["RequestApproval"]
    assert state["Resource"].endswith(".waitForTaskToken")
    assert state["TimeoutSecondsPath"] == "$.approval.timeout_seconds"
    assert "$$.Task.Token" in state["Parameters"]["Message.$"]
    assert state["Catch"][0] == {
        "ErrorEquals": ["States.Timeout"],
        "Next": "ApprovalTimedOut",
        "ResultPath": "$.ctx.error",
    }


def _reaches(states: dict[str, Any], start: str, goal: str) -> bool:
    """Whether any Next, Default, Choice or Catch path leads from `start` to `goal`."""
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name == goal:
            return True
        if name in seen:
            continue
        seen.add(name)
        state = states[name]
        todo += [state[k] for k in ("Next", "Default") if k in state]
        todo += [c["Next"] for c in state.get("Choices", []) + state.get("Catch", [])]
    return False


def test_a_named_pipeline_approval_is_read_first_and_nobody_is_asked_again() -> None:
    states = promotion()["States"]
    first = states["NeedsApproval"]["Choices"][0]
    assert first == {
        "Variable": "$.approval.pipeline_execution_id",
        "IsPresent": True,
        "Next": "PipelineApproval",
    }
    reader = states["PipelineApproval"]
    assert reader["Resource"] == ARN.format("approval")
    assert reader["ResultPath"] == "$.ctx.approval"
    assert reader["Next"] == "ApprovalDecision"
    assert reader["Catch"][0] == {
        "ErrorEquals": ["ApprovalNotGranted"],
        "Next": "LedgerNoApproval",
        "ResultPath": "$.ctx.error",
    }
    assert not _reaches(states, "PipelineApproval", "RequestApproval")
    assert not _reaches(states, "LedgerNoApproval", "WriteRelease")
    approved = states["LedgerApproved"]["Parameters"]
    assert approved["approval.$"] == "$.ctx.approval.approver"
    assert approved["comment.$"] == "$.ctx.approval.comment"


def test_failure_paths_release_the_lock_before_ending() -> None:
    states = promotion()["States"]

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            name = todo.pop()
            if name == goal:
                return True
            if name in seen:
                continue
            seen.add(name)
            state = states[name]
            todo += [state[k] for k in ("Next", "Default") if k in state]
            todo += [c["Next"] for c in state.get("Choices", []) + state.get("Catch", [])]
        return False

    for start in ("LedgerFailed", "RollBack", "LedgerNoApproval", "LedgerPromoted"):
        assert (
            reaches(start, "UnlockFailed")
            or reaches(start, "UnlockRolledBack")
            or reaches(start, "UnlockPromoted")
        )
    assert not reaches("LedgerLockHeld", "UnlockFailed"), (
        "the loser must not release the winner's lock"
    )


@pytest.mark.parametrize(
    ("state", "alarm", "matches"),
    [("ALARM", "fraud-5xx", True), ("OK", "fraud-5xx", False), ("ALARM", "other", False)],
)
def test_alarm_rule_matches_only_its_alarms_entering_alarm(
    state: str, alarm: str, matches: bool
) -> None:
    alarm_arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:{}"
    event = {
        "source": "aws.cloudwatch",
        "detail-type": "CloudWatch Alarm State Change",
        "resources": [alarm_arn.format(alarm)],
        "detail": {"alarmName": alarm, "state": {"value": state}},
    }
    pattern = EventPattern.load(json.dumps(alarm_rule_pattern([alarm_arn.format("fraud-5xx")])))
    assert pattern.matches_event(event) is matches
