"""Properties of both definitions a reviewer relies on, checked over the graph of states."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_platform.components.workflows.definitions import (
    RetryPolicy,
    TrainingFunctions,
    promotion_definition,
    training_definition,
)

from .asl import is_terminal, reachable, successors, tasks
from .pure_world import ARN, FUNCTIONS, TOPIC


def promotion() -> dict[str, Any]:
    return promotion_definition(FUNCTIONS, TOPIC)


def training() -> dict[str, Any]:
    names = ("intake", "lock", "ledger", "training", "gate")
    return training_definition(TrainingFunctions(*(ARN.format(n) for n in names)), TOPIC)


DEFINITIONS = [pytest.param(promotion, id="promotion"), pytest.param(training, id="training")]
LAMBDA_TRANSIENT = {
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "Throttled",
}
"""Written here independently of `_asl.TRANSIENT_ERRORS`."""
WAITS = {
    "promotion": {"$.timing.poll_seconds", "$.bake.interval_seconds"},
    "training": {"$.timing.poll_seconds"},
}
"""Input fields the intake requires to be whole numbers of seconds."""


@pytest.mark.parametrize("build", DEFINITIONS)
def test_every_state_is_reachable_and_every_way_out_exists(build: Any) -> None:
    definition = build()
    states = definition["States"]
    assert reachable(states, definition["StartAt"]) == set(states)


@pytest.mark.parametrize("build", DEFINITIONS)
def test_every_state_can_reach_an_end(build: Any) -> None:
    states = build()["States"]
    ends = {name for name, state in states.items() if is_terminal(state)}
    for name in states:
        assert reachable(states, name) & ends, name


@pytest.mark.parametrize("build", DEFINITIONS)
def test_every_lambda_task_retries_transient_errors_with_backoff(build: Any) -> None:
    for name, state in tasks(build()):
        (retrier,) = state["Retry"]
        assert (retrier["IntervalSeconds"], retrier["MaxAttempts"], retrier["BackoffRate"]) == (
            2,
            3,
            2.0,
        ), name
        if state["Resource"].startswith("arn:aws:lambda:"):
            assert set(retrier["ErrorEquals"]) == LAMBDA_TRANSIENT, name
        else:
            assert {"SNS.ThrottledException", "SNS.InternalErrorException"} <= set(
                retrier["ErrorEquals"]
            ), name


@pytest.mark.parametrize("build", DEFINITIONS)
def test_every_catch_all_comes_last_and_keeps_the_input(build: Any) -> None:
    for name, state in tasks(build()):
        *specific, last = state["Catch"]
        assert last["ErrorEquals"] == ["States.ALL"], name
        assert all("States.ALL" not in c["ErrorEquals"] for c in specific), name
        for entry in state["Catch"]:
            assert entry["ResultPath"] in (None, "$.ctx.error"), name


@pytest.mark.parametrize("build", DEFINITIONS)
def test_results_never_overwrite_the_input(build: Any) -> None:
    for name, state in build()["States"].items():
        if "ResultPath" in state:
            path = state["ResultPath"]
            assert path is None or path.startswith("$.ctx"), name
        assert state["Type"] != "Pass" or "ResultPath" in state, name


@pytest.mark.parametrize("build", DEFINITIONS)
def test_every_failure_after_the_lock_releases_it_and_records_why(build: Any) -> None:
    states = build()["States"]
    unlocks = {name for name in states if name.startswith("Unlock")}
    locked = reachable(states, states["AcquireLock"]["Next"], avoiding=unlocks)
    assert len(locked) > 10
    for name in locked:
        for entry in states[name].get("Catch", []):
            ahead = reachable(states, entry["Next"], avoiding=unlocks)
            assert not any(is_terminal(states[n]) for n in ahead), (name, entry["Next"])
            best_effort = entry["Next"] == states[name].get("Next")
            assert best_effort or any(n.startswith("Ledger") for n in ahead), name


@pytest.mark.parametrize("build", DEFINITIONS)
def test_the_input_is_checked_before_anything_is_locked(build: Any) -> None:
    definition = build()
    states = definition["States"]
    assert definition["StartAt"] == "Init"
    assert states["Init"]["Next"] == "CheckInput"
    assert successors(states["CheckInput"]) == ["AcquireLock", "InputRejected"]
    assert states["InputRejected"]["Type"] == "Fail"
    assert states["CheckInput"]["Parameters"]["input.$"] == "$"


@pytest.mark.parametrize(("build", "kind"), [(promotion, "promotion"), (training, "training")])
def test_waits_read_seconds_the_intake_checked(build: Any, kind: str) -> None:
    waits = {s["SecondsPath"] for s in build()["States"].values() if s["Type"] == "Wait"}
    assert waits == WAITS[kind]


@pytest.mark.parametrize("build", DEFINITIONS)
def test_choices_read_what_the_task_before_them_wrote(build: Any) -> None:
    states = build()["States"]
    checked = 0
    for name, state in states.items():
        if state["Type"] != "Choice":
            continue
        before = [s for s in states.values() if name in successors(s)]
        if any(s["Type"] != "Task" for s in before):
            continue
        writers = {s["ResultPath"] for s in before} - {None}
        for rule in state["Choices"]:
            for path in writers:
                assert rule["Variable"].startswith(path + "."), (name, rule)
                checked += 1
            if not writers:
                assert not rule["Variable"].startswith("$.ctx."), (name, rule)
    assert checked >= 2


def test_the_retry_policy_reaches_every_task() -> None:
    definition = promotion_definition(FUNCTIONS, TOPIC, RetryPolicy(1, 5, 1.5))
    for name, state in tasks(definition):
        (retrier,) = state["Retry"]
        assert (retrier["IntervalSeconds"], retrier["MaxAttempts"], retrier["BackoffRate"]) == (
            1,
            5,
            1.5,
        ), name
