"""Errors for bad input: every problem at once, with its field, value and what is allowed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pulumi


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input value."""

    field: str
    """Where the value sits, as a dotted path (`availability_zones[1]`, `network.vpcCidr`)."""
    value: object
    """The value as given."""
    reason: str
    """What is wrong and what is allowed instead."""

    def __str__(self) -> str:
        """Render as `field = value: reason`, the shape every message of the platform takes."""
        return f"{self.field} = {self.value!r}: {self.reason}"

    def moved_to(self, prefix: str, rename: Callable[[str], str] = str) -> Problem:
        """Return this problem with each segment of its field renamed and placed under `prefix`.

        Maps a component argument (`az_count`) back to the stack-config key it came from
        (`mlops:network.azCount`); list indices and dictionary keys are kept.
        """
        segments = []
        for segment in self.field.split("."):
            name, bracket, index = segment.partition("[")
            segments.append(f"{rename(name)}{bracket}{index}")
        return Problem(prefix + ".".join(segments), self.value, self.reason)


class InvalidInputError(pulumi.RunError, ValueError):
    """Input that no resource should be built from; raised before any resource is registered.

    A subclass of `pulumi.RunError`, so the Pulumi engine prints the message without a traceback.
    """

    def __init__(self, subject: str, problems: Iterable[Problem]) -> None:
        self.subject = subject
        """What was checked: an args class or a stack's config."""
        self.problems: tuple[Problem, ...] = tuple(problems)
        """Every problem found, in the order the fields were checked."""
        count = len(self.problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{subject} is invalid ({count} {noun}):\n{lines}")


class ArgsError(InvalidInputError):
    """A component's args failed validation."""


def raise_if_any(subject: str, problems: Iterable[Problem]) -> None:
    """Raise `ArgsError` listing `problems` when there is at least one."""
    found = tuple(problems)
    if found:
        raise ArgsError(subject, found)
