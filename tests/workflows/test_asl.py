"""The pure ASL interpreter the logic tests rely on, checked on small definitions."""

from __future__ import annotations

from typing import Any

import pytest

from .asl import (
    Interpreter,
    StatesRuntimeError,
    TaskError,
    evaluate,
    is_terminal,
    place,
    reachable,
    read_path,
    resolve,
)

CTX = {"Execution": {"Id": "arn:x", "Name": "n"}}


@pytest.mark.parametrize(
    ("path", "value"),
    [("$", {"a": {"b": 1}}), ("$.a", {"b": 1}), ("$.a.b", 1), ("$$.Execution.Name", "n")],
)
def test_read_path_follows_fields(path: str, value: Any) -> None:
    assert read_path(path, {"a": {"b": 1}}, CTX) == value


@pytest.mark.parametrize("path", ["$.a.c", "$.a.b.c", "a.b", "$.a[0]", "X$.aX", None])
def test_read_path_fails_at_run_time_where_step_functions_does(path: Any) -> None:
    with pytest.raises(StatesRuntimeError):
        read_path(path, {"a": {"b": 1}}, CTX)


def test_intrinsics_format_and_serialise() -> None:
    data = {"t": "fraud", "n": 5, "r": ["a", "b"]}
    text = "States.Format('{} v{} in {} ({})', $.t, $.n, 'dev', $$.Execution.Id)"
    assert evaluate(text, data, CTX) == "fraud v5 in dev (arn:x)"
    assert evaluate("States.JsonToString($.r)", data, CTX) == '["a","b"]'
    with pytest.raises(StatesRuntimeError, match="2 arguments for 1"):
        evaluate("States.Format('{}', $.t, $.n)", data, CTX)
    with pytest.raises(StatesRuntimeError, match="not supported"):
        evaluate("States.Hash($.t)", data, CTX)


def test_resolve_fills_dollar_keys_and_keeps_literals() -> None:
    template = {"a.$": "$.x", "b": "$.x", "c": {"d.$": "$.y.z"}, "e": [1]}
    assert resolve(template, {"x": 1, "y": {"z": 2}}, CTX) == {
        "a": 1,
        "b": "$.x",
        "c": {"d": 2},
        "e": [1],
    }
    with pytest.raises(StatesRuntimeError):
        resolve({"a.$": 3}, {}, CTX)


def test_place_puts_results_where_result_path_says() -> None:
    data = {"keep": 1, "ctx": {"old": 2}}
    assert place({"r": 3}, "$.ctx.new", data) == {"keep": 1, "ctx": {"old": 2, "new": {"r": 3}}}
    assert place({"r": 3}, None, data) == data
    assert place({"r": 3}, "$", data) == {"r": 3}
    assert data == {"keep": 1, "ctx": {"old": 2}}, "the input is not changed in place"
    with pytest.raises(StatesRuntimeError):
        place(1, "XX$.aXX", data)
    with pytest.raises(StatesRuntimeError, match="not an object"):
        place(1, "$.keep.deeper", data)


def _machine(**states: dict[str, Any]) -> dict[str, Any]:
    return {"StartAt": next(iter(states)), "States": states}


def test_tasks_retry_with_backoff_then_catch() -> None:
    retry = [{"ErrorEquals": ["Slow"], "IntervalSeconds": 2, "MaxAttempts": 2, "BackoffRate": 3.0}]
    definition = _machine(
        T={
            "Type": "Task",
            "Resource": "r",
            "Parameters": {"x.$": "$.x"},
            "ResultPath": "$.out",
            "Retry": retry,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F", "ResultPath": "$.err"}],
            "Next": "S",
        },
        S={"Type": "Succeed"},
        F={"Type": "Fail", "ErrorPath": "$.err.Error", "CausePath": "$.err.Cause"},
    )
    errors = ["Slow", "Slow", "Slow"]

    def handler(_state: str, _resource: str, event: dict[str, Any]) -> Any:
        if errors:
            raise TaskError(errors.pop(), "why")
        return {"got": event["x"]}

    run = Interpreter(definition, handler).run({"x": 1})
    assert (run.status, run.error, run.cause) == ("FAILED", "Slow", "why")
    assert run.retries == [("T", "Slow", 2.0), ("T", "Slow", 6.0)]
    errors[:] = ["Slow"]
    run = Interpreter(definition, handler).run({"x": 1})
    assert (run.status, run.output) == ("SUCCEEDED", {"x": 1, "out": {"got": 1}})
    assert run.trace == ["T", "S"]


def test_uncaught_errors_and_runtime_failures_end_the_execution() -> None:
    definition = _machine(
        T={"Type": "Task", "Resource": "r", "End": True},
    )

    def fails(*_: Any) -> Any:
        raise TaskError("Boom", "b")

    assert (Interpreter(definition, fails).run({}).error) == "Boom"
    choice = _machine(
        C={
            "Type": "Choice",
            "Choices": [{"Variable": "$.no", "BooleanEquals": True, "Next": "C"}],
            "Default": "C",
        }
    )
    assert Interpreter(choice, fails).run({}).error == "States.Runtime"
    loop = _machine(W={"Type": "Wait", "SecondsPath": "$.s", "Next": "W"})
    run = Interpreter(loop, fails, max_steps=5).run({"s": 0})
    assert (run.error, len(run.waits)) == ("States.Runtime", 5)
    assert Interpreter(loop, fails).run({"s": "1"}).error == "States.Runtime"
    dangling = _machine(P={"Type": "Pass", "Next": "Nowhere"})
    assert "Nowhere" in Interpreter(dangling, fails).run({}).cause


@pytest.mark.parametrize(
    ("value", "branch"),
    [(True, "Yes"), ("true", "No"), (1, "No"), ("go", "Go"), (3, "Big"), (2, "No")],
)
def test_choices_compare_types_strictly(value: Any, branch: str) -> None:
    definition = _machine(
        C={
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.v", "BooleanEquals": True, "Next": "Yes"},
                {"Variable": "$.v", "StringEquals": "go", "Next": "Go"},
                {"Variable": "$.v", "NumericGreaterThan": 2, "Next": "Big"},
            ],
            "Default": "No",
        },
        Yes={"Type": "Succeed"},
        No={"Type": "Succeed"},
        Go={"Type": "Succeed"},
        Big={"Type": "Succeed"},
    )
    assert Interpreter(definition, lambda *_: None).run({"v": value}).trace == ["C", branch]


@pytest.mark.parametrize(
    ("data", "branch"),
    [
        ({"a": {"b": None}}, "Here"),
        ({"a": {"b": False}}, "Here"),
        ({"a": {}}, "Gone"),
        ({}, "Gone"),
    ],
)
def test_is_present_tests_the_path_not_the_value(data: dict[str, Any], branch: str) -> None:
    definition = _machine(
        C={
            "Type": "Choice",
            "Choices": [{"Variable": "$.a.b", "IsPresent": True, "Next": "Here"}],
            "Default": "Gone",
        },
        Here={"Type": "Succeed"},
        Gone={"Type": "Succeed"},
    )
    assert Interpreter(definition, lambda *_: None).run(data).trace == ["C", branch]


def test_reachable_follows_every_way_out_and_avoids_what_it_is_told() -> None:
    states = {
        "A": {"Type": "Task", "Next": "B", "Catch": [{"Next": "F"}]},
        "B": {"Type": "Choice", "Choices": [{"Next": "C"}], "Default": "D"},
        "C": {"Type": "Pass", "End": True},
        "D": {"Type": "Succeed"},
        "F": {"Type": "Fail"},
        "Lost": {"Type": "Succeed"},
    }
    assert reachable(states, "A") == {"A", "B", "C", "D", "F"}
    assert reachable(states, "A", avoiding={"B"}) == {"A", "F"}
    assert [n for n, s in states.items() if is_terminal(s)] == ["C", "D", "F", "Lost"]
