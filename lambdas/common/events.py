"""Event parsing that reports every bad field at once, naming its value and what is allowed."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of an event."""

    field: str
    """Where the value sits, as a dotted path (`release.version`)."""
    value: object
    """The value as given (`<missing>` when absent)."""
    reason: str
    """What is wrong and what is allowed instead."""

    def __str__(self) -> str:
        """Render as `field = value: reason`."""
        return f"{self.field} = {self.value!r}: {self.reason}"


class InvalidEvent(ValueError):  # noqa: N818 - the name is what a Step Functions Catch matches on.
    """An event no handler should act on; lists every problem found."""

    def __init__(self, subject: str, problems: Iterable[Problem]) -> None:
        self.subject = subject
        """What was parsed, e.g. `lock event`."""
        self.problems: tuple[Problem, ...] = tuple(problems)
        """Every problem found, in the order the fields were read."""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = "; ".join(str(problem) for problem in self.problems)
        super().__init__(f"{subject} is invalid ({count} {noun}): {lines}")


MISSING = "<missing>"
"""How an absent field is shown in problems, and what `Reader.raw` returns for one."""
_MISSING = MISSING


class Reader:
    """Reads fields of one mapping, collecting problems instead of stopping at the first."""

    def __init__(self, subject: str, event: object, prefix: str = "") -> None:
        self.subject = subject
        """What is parsed, used in the error message."""
        self.problems: list[Problem] = []
        """Problems found so far (shared with nested readers)."""
        self._prefix = prefix
        if isinstance(event, Mapping):
            self._event: Mapping[str, object] = event
        else:
            self._event = {}
            self.problems.append(Problem(prefix.rstrip(".") or "event", event, "must be an object"))

    def _get(self, name: str, required: bool) -> object:
        value = self._event.get(name, _MISSING)
        if value is _MISSING and required:
            self.problems.append(Problem(self._prefix + name, _MISSING, "is required"))
        return value

    def _bad(self, name: str, value: object, reason: str) -> None:
        self.problems.append(Problem(self._prefix + name, value, reason))

    def raw(self, name: str) -> object:
        """The value at `name` as given, unchecked; `<missing>` when absent."""
        return self._event.get(name, _MISSING)

    def problem(self, name: str, value: object, reason: str) -> None:
        """Record a problem found by a check the reader does not know."""
        self._bad(name, value, reason)

    def each(self, name: str) -> list[Reader]:
        """A reader per object of the list at `name`; empty when absent."""
        value = self._get(name, False)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self._bad(name, value, "must be a list of objects")
            return []
        children = []
        for index, item in enumerate(value):
            child = Reader(self.subject, item, f"{self._prefix}{name}[{index}].")
            self.problems.extend(child.problems)
            child.problems = self.problems
            children.append(child)
        return children

    def string(self, name: str, *, required: bool = True, default: str = "") -> str:
        """A non-empty string; `default` when absent and not required."""
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if not required and value == "":
            return default
        if not isinstance(value, str) or not value:
            self._bad(name, value, "must be a non-empty string")
            return default
        return value

    def name(self, name: str) -> str:
        """A resource-safe name: letters, digits, `-`, `_`, `.`; 1 to 63 characters."""
        value = self.string(name)
        if value and (len(value) > 63 or not set(value) <= NAME_CHARS):  # noqa: PLR2004
            self._bad(name, value, "must be 1-63 letters, digits, '-', '_' or '.'")
            return ""
        return value

    def choice(self, name: str, allowed: Sequence[str], *, default: str | None = None) -> str:
        """One of `allowed`; `default` when absent (required when there is no default)."""
        value = self._get(name, default is None)
        if value is _MISSING:
            return default or ""
        if value not in allowed:
            self._bad(name, value, f"must be one of {', '.join(allowed)}")
            return ""
        return str(value)

    def integer(
        self, name: str, *, minimum: int = 0, maximum: int | None = None, default: int | None = None
    ) -> int:
        """An integer within [minimum, maximum]; `default` when absent (required without one)."""
        value = self._get(name, default is None)
        if value is _MISSING:
            return default or 0
        upper = "" if maximum is None else f" and at most {maximum}"
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < minimum
            or (maximum is not None and value > maximum)
        ):
            self._bad(name, value, f"must be an integer of at least {minimum}{upper}")
            return minimum
        return value

    def number(self, name: str, *, default: float | None = None) -> float:
        """A finite number; `default` when absent (required without one)."""
        value = self._get(name, default is None)
        if value is _MISSING:
            return default or 0.0
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self._bad(name, value, "must be a finite number")
            return 0.0
        return float(value)

    def boolean(self, name: str, *, default: bool = False) -> bool:
        """A boolean; `default` when absent."""
        value = self._get(name, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self._bad(name, value, "must be true or false")
            return default
        return value

    def strings(self, name: str, *, required: bool = False) -> tuple[str, ...]:
        """A list of non-empty strings; empty when absent and not required."""
        value = self._get(name, required)
        if value is _MISSING:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self._bad(name, value, "must be a list of non-empty strings")
            return ()
        return tuple(value)

    def nested(self, name: str, *, required: bool = True) -> Reader:
        """A reader over the object at `name`, sharing this reader's problems."""
        value = self._get(name, required)
        child = Reader(self.subject, {} if value is _MISSING else value, f"{self._prefix}{name}.")
        self.problems.extend(child.problems)
        child.problems = self.problems
        return child

    def mapping(self, name: str, *, required: bool = True) -> dict[str, object]:
        """The raw object at `name` (a copy); empty when absent and not required."""
        value = self._get(name, required)
        if value is _MISSING:
            return {}
        if not isinstance(value, Mapping):
            self._bad(name, value, "must be an object")
            return {}
        return dict(value)

    def done(self, result: T) -> T:
        """Return `result`, or raise `InvalidEvent` listing every problem found."""
        if self.problems:
            raise InvalidEvent(self.subject, self.problems)
        return result
