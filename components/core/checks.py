"""The small value checks every area's args share: whole numbers, numbers, ranges, ports."""

from __future__ import annotations

from typing import TypeGuard

from mlops_platform.components.core.errors import Problem

HTTPS = 443
"""The port of every AWS API and of the Kubernetes API."""


def is_whole(value: object) -> TypeGuard[int]:
    """True for an `int` that is not a `bool` (YAML's `true` must not pass as 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> TypeGuard[int | float]:
    """True for an `int` or `float` that is not a `bool`."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_whole_in(value: object, low: int, high: int) -> TypeGuard[int]:
    """True for a whole number from `low` to `high`, both included."""
    return is_whole(value) and low <= value <= high


def is_positive(value: object) -> TypeGuard[int | float]:
    """True for a number above zero."""
    return is_number(value) and value > 0


def repeated(field: str, values: object, what: str) -> list[Problem]:
    """A problem for each entry of a list that repeats an earlier one, naming both places.

    `field` is the list's path (`extra_rollback_alarms`), `what` names its entries ("alarm
    names"): `extra_rollback_alarms[2] = 'x': alarm names must be unique; [0] has it too`.
    """
    if not isinstance(values, list | tuple):
        return []
    first: dict[object, int] = {}
    problems = []
    for index, value in enumerate(values):
        try:
            seen = first.setdefault(value, index)
        except TypeError:  # an unhashable entry is reported by the entry's own check
            continue
        if seen != index:
            problems.append(
                Problem(f"{field}[{index}]", value, f"{what} must be unique; [{seen}] has it too")
            )
    return problems
