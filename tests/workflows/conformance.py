"""One execution seen two ways: on moto (the real engine's port) and on the pure interpreter.

Both sides run the definition moto stores (read back with `describe_state_machine`), so any
difference is the interpreter's or a stand-in's, never the definition's. What is compared is
what the mutation tests rely on the interpreter for: the states entered, the task attempts, the
final status and error, and the ledger.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .asl import Interpreter
from .harness import World as MotoWorld
from .pure_world import World as PureWorld

LEDGER_FIELDS = ("action", "step", "outcome", "version", "alarm", "approval")
"""Ledger fields both worlds fill from the execution alone (reasons quote the handlers)."""

_ATTEMPT_EVENTS = ("LambdaFunctionScheduled", "TaskScheduled")


@dataclass(frozen=True)
class Outcome:
    """What an execution did, in terms both engines report."""

    states: tuple[str, ...]
    """Names of the states entered, in order."""
    attempts: tuple[str, ...]
    """The state of every task attempt (a retried task appears once per attempt)."""
    status: str
    """SUCCEEDED or FAILED."""
    error: str
    """The error name of a failed execution; empty when it succeeded."""
    ledger: tuple[tuple[Any, ...], ...]
    """`LEDGER_FIELDS` of each ledger entry, oldest first."""


def moto_outcome(world: MotoWorld, execution_arn: str, target: str) -> Outcome:
    """The outcome of a finished moto execution, from its history and the ledger table."""
    run = world.wait(execution_arn)
    events: list[dict[str, Any]] = []
    pages = world.sfn.get_paginator("get_execution_history")
    for page in pages.paginate(executionArn=execution_arn):
        events += page["events"]
    states: list[str] = []
    attempts: list[str] = []
    for event in sorted(events, key=lambda e: e["id"]):
        if event["type"].endswith("StateEntered"):
            states.append(event["stateEnteredEventDetails"]["name"])
        elif event["type"] in _ATTEMPT_EVENTS:
            attempts.append(states[-1])
    ledger = tuple(
        tuple(_plain(item.get(name, "")) for name in LEDGER_FIELDS) for item in world.ledger(target)
    )
    return Outcome(tuple(states), tuple(attempts), run.status, run.error, ledger)


def pure_outcome(
    world: MotoWorld, machine_arn: str, stand_in: PureWorld, payload: Any, name: str
) -> Outcome:
    """The outcome of the same definition on the pure interpreter against `stand_in`."""
    stored = world.sfn.describe_state_machine(stateMachineArn=machine_arn)["definition"]
    run = Interpreter(json.loads(stored), stand_in.handle, name=name).run(payload)
    ledger = tuple(
        tuple(getattr(entry, field) for field in LEDGER_FIELDS) for entry in stand_in.ledger
    )
    attempts = tuple(state for state, _, _ in run.calls)
    return Outcome(tuple(run.trace), attempts, run.status, run.error, ledger)


def _plain(value: Any) -> Any:
    """DynamoDB's Decimal as the int the ledger wrote."""
    return value if isinstance(value, str) else int(value)
