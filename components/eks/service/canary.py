"""Canary steps of an Argo Rollouts `Rollout`, as pure values: checked, then rendered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mlops_platform.components.core.checks import is_whole_in
from mlops_platform.components.core.errors import Problem

CANARY_HASH_ARG = "canary-hash"
"""The analysis argument holding the canary's pod-template hash, which scopes the queries."""
MAX_PAUSE_SECONDS = 86400
"""A timed pause longer than a day is a forgotten rollout; use 0 to wait for a person."""


@dataclass(frozen=True, kw_only=True)
class CanaryStep:
    """One step of a canary: exactly one of a weight, a pause or an analysis."""

    set_weight: int | None = None
    """Send this percentage (0-100) of pods to the new version; weights must increase."""
    pause_seconds: int | None = None
    """Wait this long; 0 waits until a person promotes or aborts the rollout."""
    analysis: bool = False
    """Run the service's analysis; a failure aborts the rollout and restores the old version."""

    def described(self) -> dict[str, Any]:
        """The fields that are set, for messages."""
        fields = {"set_weight": self.set_weight, "pause_seconds": self.pause_seconds}
        found: dict[str, Any] = {key: value for key, value in fields.items() if value is not None}
        if self.analysis:
            found["analysis"] = True
        return found


DEFAULT_CANARY_STEPS = (
    CanaryStep(set_weight=10),
    CanaryStep(pause_seconds=300),
    CanaryStep(analysis=True),
    CanaryStep(set_weight=50),
    CanaryStep(pause_seconds=300),
    CanaryStep(analysis=True),
)
"""10 % for five minutes, analysed; then 50 % for five minutes, analysed; then everything."""


def check_canary_steps(steps: Sequence[CanaryStep], field: str = "canary_steps") -> list[Problem]:
    """Every problem with `steps`: one kind per step, weights 0-100 and increasing, sane pauses."""
    if not steps:
        return [Problem(field, [], "at least one step; without steps a rollout is all at once")]
    problems: list[Problem] = []
    previous: tuple[int, int] | None = None  # (index, weight) of the last weight step
    for index, step in enumerate(steps):
        where = f"{field}[{index}]"
        if len(step.described()) != 1:
            problems.append(
                Problem(
                    where,
                    step.described(),
                    "set exactly one of set_weight, pause_seconds, analysis",
                )
            )
            continue
        if step.set_weight is not None:
            problems += _check_weight(where, step.set_weight, previous)
            previous = (index, step.set_weight)
        elif step.pause_seconds is not None:
            problems += _check_pause(where, step.pause_seconds)
        elif previous is None:
            problems.append(
                Problem(
                    f"{where}.analysis",
                    True,
                    "needs a set_weight step before it; with no canary traffic there is "
                    "nothing to measure",
                )
            )
    return problems


def _check_weight(where: str, weight: int, previous: tuple[int, int] | None) -> list[Problem]:
    if not is_whole_in(weight, 0, 100):
        return [Problem(f"{where}.set_weight", weight, "a percentage from 0 to 100")]
    if previous is not None and weight <= previous[1]:
        return [
            Problem(
                f"{where}.set_weight",
                weight,
                f"not above the previous weight {previous[1]} (step {previous[0]}); "
                "weights must increase",
            )
        ]
    return []


def _check_pause(where: str, seconds: int) -> list[Problem]:
    if not is_whole_in(seconds, 0, MAX_PAUSE_SECONDS):
        return [
            Problem(
                f"{where}.pause_seconds",
                seconds,
                f"0 (wait for a person) or up to {MAX_PAUSE_SECONDS} seconds",
            )
        ]
    return []


def has_analysis(steps: Sequence[CanaryStep]) -> bool:
    """Whether any step analyses the canary, so a bad version can roll back by itself."""
    return any(step.analysis for step in steps)


def argo_steps(steps: Sequence[CanaryStep], template_name: str) -> list[dict[str, Any]]:
    """The `spec.strategy.canary.steps` of a Rollout."""
    rendered: list[dict[str, Any]] = []
    for step in steps:
        if step.set_weight is not None:
            rendered.append({"setWeight": step.set_weight})
        elif step.pause_seconds is not None:
            pause = {"duration": f"{step.pause_seconds}s"} if step.pause_seconds else {}
            rendered.append({"pause": pause})
        else:
            rendered.append(
                {
                    "analysis": {
                        "templates": [{"templateName": template_name}],
                        "args": [
                            {
                                "name": CANARY_HASH_ARG,
                                "valueFrom": {"podTemplateHashValue": "Latest"},
                            }
                        ],
                    }
                }
            )
    return rendered
