"""The champion/challenger decision: pure, per metric, with reasons."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..common.events import Reader


@dataclass(frozen=True)
class Objective:
    """A metric the challenger must improve."""

    metric: str
    """Metric name."""
    direction: str
    """`higher` or `lower` is better."""
    min_absolute: float = 0.0
    """Smallest improvement, in the metric's units."""
    min_relative: float = 0.0
    """Smallest improvement, as a fraction of the champion's value."""


@dataclass(frozen=True)
class Guard:
    """A metric that may not worsen by more than a fraction of the champion's value."""

    metric: str
    """Metric name."""
    direction: str
    """`higher` or `lower` is better."""
    max_worsening_relative: float
    """Largest allowed worsening, fraction of the champion's value (0.05: 5 %)."""


@dataclass(frozen=True)
class Criteria:
    """What the challenger must achieve against the champion."""

    objectives: tuple[Objective, ...]
    """Metrics to improve (all of them)."""
    guards: tuple[Guard, ...] = ()
    """Metrics not to worsen much."""

    @classmethod
    def read(cls, reader: Reader) -> Criteria:
        """Read from plain values; problems stay in `reader`."""
        directions = ("higher", "lower")
        objectives = tuple(
            Objective(
                o.string("metric"),
                o.choice("direction", directions),
                o.number("min_absolute", default=0.0),
                o.number("min_relative", default=0.0),
            )
            for o in reader.each("objectives")
        )
        if not objectives:
            reader.problem("objectives", [], "must name at least one metric to improve")
        guards = tuple(
            Guard(
                g.string("metric"),
                g.choice("direction", directions),
                g.number("max_worsening_relative"),
            )
            for g in reader.each("guards")
        )
        return cls(objectives, guards)


@dataclass(frozen=True)
class Decision:
    """Whether the challenger may replace the champion, and why."""

    accept: bool
    """True when every objective and guard passes."""
    reasons: tuple[str, ...]
    """One line per metric checked."""

    def as_dict(self) -> dict[str, object]:
        """Plain values for a state machine (`accept` is a flat boolean)."""
        return {"accept": self.accept, "reasons": list(self.reasons)}


def _gain(direction: str, champion: float, challenger: float) -> float:
    return challenger - champion if direction == "higher" else champion - challenger


def decide(
    champion: Mapping[str, float] | None, challenger: Mapping[str, float], criteria: Criteria
) -> Decision:
    """Decide per metric; with no champion serving, any challenger with every metric wins."""
    checks: list[tuple[bool, str]] = []
    names: Sequence[str] = [o.metric for o in criteria.objectives] + [
        g.metric for g in criteria.guards
    ]
    for name in names:
        value = challenger.get(name)
        if value is None or not math.isfinite(value):
            checks.append((False, f"{name}: challenger has no finite value"))
    if champion is None:
        checks.append((True, "no champion serving: first model"))
        return Decision(all(ok for ok, _ in checks), tuple(r for _, r in checks))
    for objective in criteria.objectives:
        checks.append(_objective(objective, champion, challenger))
    for guard in criteria.guards:
        checks.append(_guard(guard, champion, challenger))
    return Decision(all(ok for ok, _ in checks), tuple(r for _, r in checks))


def _objective(
    o: Objective, champion: Mapping[str, float], challenger: Mapping[str, float]
) -> tuple[bool, str]:
    if o.metric not in champion:
        return False, f"{o.metric}: champion has no value to compare with"
    if o.metric not in challenger:
        return False, f"{o.metric}: not compared"
    old, new = champion[o.metric], challenger[o.metric]
    gain = _gain(o.direction, old, new)
    needed = max(o.min_absolute, o.min_relative * abs(old))
    ok = gain >= needed
    word = "improves" if ok else "does not improve enough"
    return (
        ok,
        f"{o.metric}: {old} -> {new} ({o.direction} is better) {word}: "
        f"gain {gain:.6g}, needed {needed:.6g}",
    )


def _guard(
    g: Guard, champion: Mapping[str, float], challenger: Mapping[str, float]
) -> tuple[bool, str]:
    if g.metric not in champion or g.metric not in challenger:
        return False, f"{g.metric}: guard cannot be checked (missing on one side)"
    old, new = champion[g.metric], challenger[g.metric]
    worsening = -_gain(g.direction, old, new)
    allowed = g.max_worsening_relative * abs(old)
    ok = worsening <= allowed
    word = "within" if ok else "beyond"
    return (
        ok,
        f"{g.metric}: {old} -> {new} worsens by {max(worsening, 0.0):.6g}, "
        f"{word} the allowed {allowed:.6g}",
    )
