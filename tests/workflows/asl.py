"""A tiny pure interpreter and path walker for the JSONPath subset of ASL the workflows use.

Fast enough to run per mutant: no moto, no sleeping. It follows Step Functions' rules for the
parts the definitions use (Pass, Task, Choice, Wait, Succeed, Fail; Parameters with `.$` keys,
`States.Format` and `States.JsonToString`, ResultSelector, ResultPath, Retry, Catch, the context
object) and fails with `States.Runtime` (which no Catch catches) where Step Functions would: a
path that does not exist, a malformed path, a Wait whose seconds are not a number.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

TERMINAL_TYPES = ("Succeed", "Fail")
"""State types that end an execution."""


class TaskError(Exception):
    """A task's error, as a handler's exception reaches Step Functions: a name and a cause."""

    def __init__(self, error: str, cause: str = "") -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause


class StatesRuntimeError(Exception):
    """`States.Runtime`: the definition itself is wrong for this input; never caught."""


def successors(state: Mapping[str, Any]) -> list[str]:
    """Every state `state` can go to next: Next, Default, Choice rules and Catch entries."""
    names = [state[k] for k in ("Next", "Default") if k in state]
    names += [rule["Next"] for rule in state.get("Choices", [])]
    names += [entry["Next"] for entry in state.get("Catch", [])]
    return names


def reachable(
    states: Mapping[str, Mapping[str, Any]], start: str, avoiding: Iterable[str] = ()
) -> set[str]:
    """The names of the states reachable from `start` without entering `avoiding`.

    `start` is included, and so are names of states that do not exist.
    """
    seen: set[str] = set()
    todo, avoid = [start], set(avoiding)
    while todo:
        name = todo.pop()
        if name in seen or name in avoid:
            continue
        seen.add(name)
        if name in states:
            todo += successors(states[name])
    return seen


def is_terminal(state: Mapping[str, Any]) -> bool:
    """Whether the execution can end in `state`."""
    return state["Type"] in TERMINAL_TYPES or state.get("End") is True


def read_path(path: object, data: Any, context: Mapping[str, Any]) -> Any:
    """The value at a reference path (`$`, `$.a.b`, `$$.Execution.Id`)."""
    if not isinstance(path, str) or not re.fullmatch(r"\$\$?(\.[A-Za-z_][A-Za-z0-9_]*)*", path):
        raise StatesRuntimeError(f"not a reference path: {path!r}")
    value: Any = context if path.startswith("$$") else data
    for part in path.lstrip("$").split(".")[1:]:
        if not isinstance(value, Mapping) or part not in value:
            raise StatesRuntimeError(f"{path} does not exist in the input")
        value = value[part]
    return value


def _arguments(text: str) -> list[str]:
    parts, depth, quoted, current = [], 0, False, ""
    for char in text:
        if char == "'" and not current.endswith("\\"):
            quoted = not quoted
        depth += 0 if quoted else (char == "(") - (char == ")")
        if char == "," and not quoted and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [*parts, current.strip()]


def evaluate(expression: str, data: Any, context: Mapping[str, Any]) -> Any:
    """A `.$` value: a path, or one of the intrinsics the definitions use."""
    call = re.fullmatch(r"(States\.\w+)\((.*)\)", expression, re.DOTALL)
    if call is None:
        return read_path(expression, data, context)
    name, arguments = call.group(1), _arguments(call.group(2))
    values = [a[1:-1] if a.startswith("'") else evaluate(a, data, context) for a in arguments if a]
    if name == "States.JsonToString" and len(values) == 1:
        return json.dumps(values[0], separators=(",", ":"))
    if name == "States.Format" and values and isinstance(values[0], str):
        pieces = values[0].split("{}")
        if len(pieces) != len(values):
            raise StatesRuntimeError(
                f"{expression}: {len(values) - 1} arguments for {len(pieces) - 1}"
            )
        out = pieces[0]
        for value, piece in zip(values[1:], pieces[1:], strict=True):
            out += (value if isinstance(value, str) else json.dumps(value)) + piece
        return out
    raise StatesRuntimeError(f"intrinsic not supported here: {expression}")


def resolve(template: Any, data: Any, context: Mapping[str, Any]) -> Any:
    """A Parameters or ResultSelector template filled from `data`."""
    if not isinstance(template, Mapping):
        return copy.deepcopy(template)
    out: dict[str, Any] = {}
    for key, value in template.items():
        if key.endswith(".$"):
            if not isinstance(value, str):
                raise StatesRuntimeError(f"{key} must name a path, not {value!r}")
            out[key[:-2]] = copy.deepcopy(evaluate(value, data, context))
        else:
            out[key] = resolve(value, data, context)
    return out


def place(result: Any, path: str | None, data: Any) -> Any:
    """The state's output: `result` put at ResultPath `path` in `data` (None discards it)."""
    if path is None:
        return data
    if path == "$":
        return copy.deepcopy(result)
    if not re.fullmatch(r"\$(\.[A-Za-z_][A-Za-z0-9_]*)+", path):
        raise StatesRuntimeError(f"not a result path: {path!r}")
    out = copy.deepcopy(data)
    node = out
    parts = path.split(".")[1:]
    for part in parts[:-1]:
        if not isinstance(node.setdefault(part, {}), dict):
            raise StatesRuntimeError(f"{path}: {part} is not an object")
        node = node[part]
    node[parts[-1]] = copy.deepcopy(result)
    return out


Handler = Callable[[str, str, dict[str, Any]], Any]
"""Answers a Task: (state, resource, parameters) -> result, or raises `TaskError`."""

_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "BooleanEquals": lambda v, x: isinstance(v, bool) and v is x,
    "StringEquals": lambda v, x: isinstance(v, str) and v == x,
    "NumericGreaterThan": lambda v, x: type(v) in (int, float) and v > x,
}


def _present(path: str, data: Any, context: Mapping[str, Any]) -> bool:
    """Whether `path` exists (`IsPresent`); a malformed path is still an error."""
    try:
        read_path(path, data, context)
    except StatesRuntimeError:
        if not re.fullmatch(r"\$\$?(\.[A-Za-z_][A-Za-z0-9_]*)*", path):
            raise
        return False
    return True


@dataclass
class Run:
    """What one execution did."""

    status: str = "RUNNING"
    error: str = ""
    cause: str = ""
    output: Any = None
    trace: list[str] = field(default_factory=list)
    """States entered, in order."""
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    """(state, resource, parameters) of every task attempt."""
    waits: list[tuple[str, Any]] = field(default_factory=list)
    """(state, seconds) of every Wait."""
    retries: list[tuple[str, str, float]] = field(default_factory=list)
    """(state, error, seconds slept before the retry) of every retry."""
    timeouts: list[tuple[str, Any]] = field(default_factory=list)
    """(state, seconds) of every task with TimeoutSecondsPath."""


@dataclass
class Interpreter:
    """Runs one definition against `handler`; `max_steps` stops a loop that never ends."""

    definition: Mapping[str, Any]
    handler: Handler
    name: str = "exec-1"
    max_steps: int = 400

    def run(self, execution_input: Mapping[str, Any]) -> Run:
        """Execute from StartAt to a terminal state (or a runtime failure)."""
        run, data = Run(), copy.deepcopy(dict(execution_input))
        states = self.definition["States"]
        context: dict[str, Any] = {
            "Execution": {
                "Id": f"arn:aws:states:us-east-1:123456789012:execution:m:{self.name}",
                "Name": self.name,
                "StartTime": "2026-01-01T00:00:00Z",
            }
        }
        name: str | None = self.definition["StartAt"]
        try:
            while name is not None:
                if len(run.trace) >= self.max_steps:
                    raise StatesRuntimeError(f"more than {self.max_steps} steps")
                if name not in states:
                    raise StatesRuntimeError(f"no state named {name!r}")
                run.trace.append(name)
                context["State"] = {"Name": name}
                context["Task"] = {"Token": f"token-{len(run.trace)}"}
                name, data = self._step(name, states[name], data, context, run)
        except StatesRuntimeError as failure:
            run.status, run.error, run.cause = "FAILED", "States.Runtime", str(failure)
        return run

    def _step(
        self, name: str, state: Mapping[str, Any], data: Any, ctx: dict[str, Any], run: Run
    ) -> tuple[str | None, Any]:
        kind = state["Type"]
        if kind not in ("Succeed", "Fail", "Choice", "Wait", "Pass", "Task"):
            raise StatesRuntimeError(f"{name}: state type {kind} not supported here")
        step: Callable[..., tuple[str | None, Any]] = getattr(self, f"_{kind.lower()}")
        return step(name, state, data, ctx, run)

    def _succeed(self, _name: str, _state: Any, data: Any, _ctx: Any, run: Run) -> tuple[None, Any]:
        run.status, run.output = "SUCCEEDED", data
        return None, data

    def _fail(self, _name: str, state: Any, data: Any, ctx: Any, run: Run) -> tuple[None, Any]:
        run.status = "FAILED"
        run.error = str(read_path(state["ErrorPath"], data, ctx))
        run.cause = str(read_path(state["CausePath"], data, ctx))
        return None, data

    def _choice(self, _name: str, state: Any, data: Any, ctx: Any, _run: Run) -> tuple[str, Any]:
        for rule in state["Choices"]:
            if "IsPresent" in rule:
                if _present(rule["Variable"], data, ctx) is rule["IsPresent"]:
                    return rule["Next"], data
                continue
            value = read_path(rule["Variable"], data, ctx)
            (test,) = [k for k in rule if k in _COMPARISONS]
            if _COMPARISONS[test](value, rule[test]):
                return rule["Next"], data
        return state["Default"], data

    def _wait(self, name: str, state: Any, data: Any, ctx: Any, run: Run) -> tuple[str, Any]:
        seconds = read_path(state["SecondsPath"], data, ctx)
        if type(seconds) is not int or seconds < 0:
            raise StatesRuntimeError(f"{name}: {seconds!r} is not a number of seconds")
        run.waits.append((name, seconds))
        return state["Next"], data

    def _pass(
        self, _name: str, state: Any, data: Any, ctx: Any, run: Run
    ) -> tuple[str | None, Any]:
        result = (
            resolve(state["Parameters"], data, ctx)
            if "Parameters" in state
            else copy.deepcopy(state.get("Result", data))
        )
        return self._next(state, place(result, state.get("ResultPath", "$"), data), run)

    def _next(self, state: Mapping[str, Any], data: Any, run: Run) -> tuple[str | None, Any]:
        if state.get("End") is True:
            run.status, run.output = "SUCCEEDED", data
            return None, data
        return state["Next"], data

    def _task(
        self, name: str, state: Mapping[str, Any], data: Any, ctx: dict[str, Any], run: Run
    ) -> tuple[str | None, Any]:
        parameters = resolve(state.get("Parameters", data), data, ctx)
        if "TimeoutSecondsPath" in state:
            run.timeouts.append((name, read_path(state["TimeoutSecondsPath"], data, ctx)))
        attempts: dict[int, int] = {}
        while True:
            run.calls.append((name, state["Resource"], parameters))
            try:
                result = self.handler(name, state["Resource"], copy.deepcopy(parameters))
                break
            except TaskError as failure:
                delay = _retry_delay(state.get("Retry", []), failure.error, attempts)
                if delay is not None:
                    run.retries.append((name, failure.error, delay))
                    continue
                for entry in state.get("Catch", []):
                    if _matches(entry["ErrorEquals"], failure.error):
                        caught = {"Error": failure.error, "Cause": failure.cause}
                        return entry["Next"], place(caught, entry.get("ResultPath", "$"), data)
                run.status, run.error, run.cause = "FAILED", failure.error, failure.cause
                return None, data
        if "ResultSelector" in state:
            result = resolve(state["ResultSelector"], result, ctx)
        return self._next(state, place(result, state.get("ResultPath", "$"), data), run)


def _matches(errors: list[str], error: str) -> bool:
    return error in errors or ("States.ALL" in errors and error != "States.Runtime")


def _retry_delay(
    retriers: list[dict[str, Any]], error: str, attempts: dict[int, int]
) -> float | None:
    for index, retrier in enumerate(retriers):
        if _matches(retrier["ErrorEquals"], error):
            done = attempts.get(index, 0)
            if done >= retrier.get("MaxAttempts", 3):
                return None
            attempts[index] = done + 1
            interval = retrier.get("IntervalSeconds", 1)
            return float(interval * retrier.get("BackoffRate", 2.0) ** done)
    return None


def tasks(definition: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, state) of every Task of `definition`."""
    for name, state in definition["States"].items():
        if state["Type"] == "Task":
            yield name, state
