"""How traffic moves to a new model version, and back.

The rollout spec, its AWS limits, and the deployment configuration SageMaker follows: pure
functions of plain values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from mlops_platform.components.core.checks import is_whole
from mlops_platform.components.core.errors import Problem

Strategy = Literal["ALL_AT_ONCE", "CANARY", "LINEAR", "ROLLING"]
"""Blue-green with all traffic at once, a canary then the rest, or linear steps; or rolling."""
StepUnit = Literal["CAPACITY_PERCENT", "INSTANCE_COUNT"]
"""What `RolloutSpec.step` counts: a share of each variant's capacity, or instances."""

MAX_WAIT_SECONDS = 3600
"""Wait intervals and the termination wait: 0-3600 s (AWS limit)."""
MIN_TIMEOUT_SECONDS = 600
MAX_TIMEOUT_SECONDS = 14400
"""The bridged provider accepts 600-14400 s (the API itself allows up to 28800 s)."""
PROVIDER_WAIT_SECONDS = 3600
"""The bridged provider waits at most 60 minutes for the endpoint to be InService after an
update (the SDK waiter's 120 polls of 30 s, hard-coded: `customTimeouts` cannot raise it)."""
LAUNCH_ALLOWANCE_SECONDS = 600
"""Time allowed for SageMaker to launch the new fleet before the first shift."""
STEP_PERCENT_LIMITS: dict[str, tuple[int, int]] = {
    "CANARY": (1, 50),
    "LINEAR": (10, 50),
    "ROLLING": (5, 50),
}
"""The share of a variant's capacity one shift may move, per strategy (AWS limits)."""
_STEP_NAMES = {"CANARY": "the canary", "LINEAR": "a linear step", "ROLLING": "a rolling batch"}


@dataclass(frozen=True, kw_only=True)
class RolloutSpec:
    """How an endpoint moves from its current model version to a new one, and back.

    Every strategy bakes after each traffic shift: SageMaker watches the rollback alarms for
    `wait_seconds` and, if one fires, sends all traffic back to the old fleet.
    """

    strategy: Strategy = "ALL_AT_ONCE"
    """ALL_AT_ONCE (the default; prod rejects it), CANARY, LINEAR or ROLLING."""
    step: int | None = None
    """CANARY: the canary's size; LINEAR: each step; ROLLING: each batch; in `step_unit`.
    Required for those three, not allowed with ALL_AT_ONCE."""
    step_unit: StepUnit = "CAPACITY_PERCENT"
    """Whether `step` is a percentage of each variant's capacity or a number of instances."""
    wait_seconds: int = 300
    """The baking time after each shift, while alarms are watched: 0-3600 s."""
    termination_wait_seconds: int = 0
    """How long the old fleet is kept after the last shift, for a fast way back: 0-3600 s."""
    maximum_execution_timeout_seconds: int = 3600
    """The whole rollout's time limit: 600-14400 s, and longer than the waits added up."""

    @classmethod
    def all_at_once(cls, *, wait_seconds: int = 300) -> RolloutSpec:
        """Shift all traffic, then bake for `wait_seconds`."""
        return cls(strategy="ALL_AT_ONCE", wait_seconds=wait_seconds)

    @classmethod
    def canary(cls, *, percent: int = 10, wait_seconds: int = 600) -> RolloutSpec:
        """Shift `percent` of capacity first, bake, then shift the rest."""
        return cls(strategy="CANARY", step=percent, wait_seconds=wait_seconds)

    @classmethod
    def linear(cls, *, percent: int = 20, wait_seconds: int = 300) -> RolloutSpec:
        """Shift `percent` of capacity at a time, baking after each step."""
        return cls(strategy="LINEAR", step=percent, wait_seconds=wait_seconds)


@dataclass(frozen=True)
class Capacity:
    """A production variant's instance count, with its position in the args for messages."""

    index: int
    name: str
    instances: int


def shifts(rollout: RolloutSpec, capacities: Sequence[Capacity]) -> int:
    """How many traffic shifts the rollout makes; each is followed by a bake of `wait_seconds`.

    ALL_AT_ONCE shifts once, CANARY twice (the canary, then the rest), LINEAR and ROLLING once
    per step, counted on the variant that needs the most steps.
    """
    if rollout.strategy == "ALL_AT_ONCE":
        return 1
    if rollout.strategy == "CANARY":
        return 2
    step = rollout.step or 1
    if rollout.step_unit == "CAPACITY_PERCENT":
        return math.ceil(100 / step)
    return max((math.ceil(c.instances / step) for c in capacities), default=1)


def total_wait_seconds(rollout: RolloutSpec, capacities: Sequence[Capacity]) -> int:
    """The waits of a rollout added up: a bake after every shift, then the termination wait."""
    return shifts(rollout, capacities) * rollout.wait_seconds + rollout.termination_wait_seconds


def check_rollout(
    rollout: RolloutSpec,
    capacities: Sequence[Capacity],
    *,
    rollback_alarms: int,
    variant_count: int,
) -> list[Problem]:
    """Every problem with `rollout` for these production variants and this many alarms.

    `capacities` lists the production variants whose instance counts are valid;
    `variant_count` counts every variant, shadow included (ROLLING takes one variant only).
    """
    if rollout.strategy not in get_args(Strategy):
        allowed = ", ".join(get_args(Strategy))
        return [Problem("rollout.strategy", rollout.strategy, f"allowed: {allowed}")]
    problems = _check_waits(rollout) + _check_step(rollout, capacities)
    if not problems:  # the waits can only be added up once each of them is valid
        problems += _check_timeout(rollout, capacities) + _check_provider_wait(rollout, capacities)
    if rollout.strategy != "ALL_AT_ONCE" and rollback_alarms == 0:
        problems.append(
            Problem(
                "rollout.strategy",
                rollout.strategy,
                f"a {rollout.strategy} rollout needs at least one rollback alarm; keep the "
                "endpoint's own alarms on or add extra rollback alarms",
            )
        )
    if rollout.strategy == "ROLLING" and variant_count > 1:
        problems.append(
            Problem(
                "rollout.strategy",
                "ROLLING",
                f"AWS rolls out endpoints with a single variant only; this one has "
                f"{variant_count} (shadow included): use CANARY or LINEAR",
            )
        )
    return problems


def _check_waits(rollout: RolloutSpec) -> list[Problem]:
    problems = []
    for field in ("wait_seconds", "termination_wait_seconds"):
        value = getattr(rollout, field)
        if not is_whole(value) or not 0 <= value <= MAX_WAIT_SECONDS:
            problems.append(
                Problem(f"rollout.{field}", value, f"0-{MAX_WAIT_SECONDS} s (AWS limit)")
            )
    if rollout.strategy == "ROLLING" and rollout.termination_wait_seconds:
        problems.append(
            Problem(
                "rollout.termination_wait_seconds",
                rollout.termination_wait_seconds,
                "a ROLLING rollout has no termination wait; remove it or set 0",
            )
        )
    timeout = rollout.maximum_execution_timeout_seconds
    if not is_whole(timeout) or not MIN_TIMEOUT_SECONDS <= timeout <= MAX_TIMEOUT_SECONDS:
        problems.append(
            Problem(
                "rollout.maximum_execution_timeout_seconds",
                timeout,
                f"{MIN_TIMEOUT_SECONDS}-{MAX_TIMEOUT_SECONDS} s (the provider's limit)",
            )
        )
    return problems


def _check_step(rollout: RolloutSpec, capacities: Sequence[Capacity]) -> list[Problem]:
    if rollout.strategy == "ALL_AT_ONCE":
        if rollout.step is None:
            return []
        return [
            Problem(
                "rollout.step",
                rollout.step,
                "ALL_AT_ONCE shifts everything at once; remove the step",
            )
        ]
    problems = _check_step_value(rollout)
    if problems or rollout.step is None:
        return problems
    single = [
        Problem(
            f"variants[{c.index}].instance_count",
            c.instances,
            f"a {rollout.strategy} rollout shifts part of the capacity at a time and needs at "
            f"least 2 instances in every production variant; use ALL_AT_ONCE or add instances",
        )
        for c in capacities
        if c.instances < 2  # noqa: PLR2004 - half of one instance cannot be shifted
    ]
    return single or _check_step_share(rollout, rollout.step, capacities)


def _check_step_value(rollout: RolloutSpec) -> list[Problem]:
    """The step on its own: present, a whole number, and a percentage when it is one."""
    step = rollout.step
    if rollout.step_unit not in get_args(StepUnit):
        allowed = ", ".join(get_args(StepUnit))
        return [Problem("rollout.step_unit", rollout.step_unit, f"allowed: {allowed}")]
    if step is None:
        return [Problem("rollout.step", None, f"required for a {rollout.strategy} rollout")]
    if not is_whole(step) or step < 1:
        return [Problem("rollout.step", step, "a whole number, at least 1 (AWS minimum)")]
    if rollout.step_unit == "CAPACITY_PERCENT" and step > 100:  # noqa: PLR2004 - a percentage
        return [Problem("rollout.step", step, "CAPACITY_PERCENT is a share of capacity: 1-100")]
    return []


def _check_step_share(
    rollout: RolloutSpec, step: int, capacities: Sequence[Capacity]
) -> list[Problem]:
    low, high = STEP_PERCENT_LIMITS[rollout.strategy]
    what = _STEP_NAMES[rollout.strategy]
    allowed = f"at most {high} %" if rollout.strategy == "CANARY" else f"{low}-{high} %"
    limit = f"{what} may take {allowed} of a variant's capacity (AWS limit)"
    if rollout.step_unit == "CAPACITY_PERCENT":
        return [] if low <= step <= high else [Problem("rollout.step", step, limit)]
    problems = []
    for capacity in capacities:
        percent = 100 * step / capacity.instances
        if not low <= percent <= high:
            problems.append(
                Problem(
                    "rollout.step",
                    step,
                    f"{step} of variant {capacity.name!r}'s {capacity.instances} instances is "
                    f"{percent:.0f} %; {limit}",
                )
            )
    return problems


def _check_timeout(rollout: RolloutSpec, capacities: Sequence[Capacity]) -> list[Problem]:
    total = total_wait_seconds(rollout, capacities)
    if rollout.maximum_execution_timeout_seconds > total:
        return []
    count = shifts(rollout, capacities)
    noun = "shift" if count == 1 else "shifts"
    return [
        Problem(
            "rollout.maximum_execution_timeout_seconds",
            rollout.maximum_execution_timeout_seconds,
            f"must be longer than the waits added up: {count} {noun} x "
            f"{rollout.wait_seconds} s wait + {rollout.termination_wait_seconds} s termination "
            f"wait = {total} s",
        )
    ]


def rollout_seconds(rollout: RolloutSpec, capacities: Sequence[Capacity]) -> int:
    """How long an update takes at least: the new fleet's launch, then every wait."""
    return LAUNCH_ALLOWANCE_SECONDS + total_wait_seconds(rollout, capacities)


def _check_provider_wait(rollout: RolloutSpec, capacities: Sequence[Capacity]) -> list[Problem]:
    """The provider gives up after 60 minutes, mid-rollout, and the stack is left half-updated."""
    total = rollout_seconds(rollout, capacities)
    if total <= PROVIDER_WAIT_SECONDS:
        return []
    count = shifts(rollout, capacities)
    noun = "shift" if count == 1 else "shifts"
    return [
        Problem(
            "rollout.wait_seconds",
            rollout.wait_seconds,
            f"the rollout takes at least {total} s ({LAUNCH_ALLOWANCE_SECONDS} s to launch the "
            f"new fleet + {count} {noun} x {rollout.wait_seconds} s wait + "
            f"{rollout.termination_wait_seconds} s termination wait); the provider waits at "
            f"most {PROVIDER_WAIT_SECONDS} s for the endpoint to be InService and fails the "
            "update after that: take larger steps or shorter waits",
        )
    ]


def deployment_config(rollout: RolloutSpec, alarm_names: Sequence[object]) -> dict[str, Any]:
    """The endpoint's `deployment_config` input (snake_case keys, as pulumi-aws takes them).

    `alarm_names` may hold plain strings or Outputs; they are placed as given.
    """
    size = {"type": rollout.step_unit, "value": rollout.step}
    timeout = rollout.maximum_execution_timeout_seconds
    config: dict[str, Any]
    if rollout.strategy == "ROLLING":
        config = {
            "rolling_update_policy": {
                "maximum_batch_size": size,
                "wait_interval_in_seconds": rollout.wait_seconds,
                "maximum_execution_timeout_in_seconds": timeout,
            }
        }
    else:
        routing: dict[str, Any] = {
            "type": rollout.strategy,
            "wait_interval_in_seconds": rollout.wait_seconds,
        }
        if rollout.strategy == "CANARY":
            routing["canary_size"] = size
        elif rollout.strategy == "LINEAR":
            routing["linear_step_size"] = size
        config = {
            "blue_green_update_policy": {
                "traffic_routing_configuration": routing,
                "termination_wait_in_seconds": rollout.termination_wait_seconds,
                "maximum_execution_timeout_in_seconds": timeout,
            }
        }
    if alarm_names:
        config["auto_rollback_configuration"] = {
            "alarms": [{"alarm_name": name} for name in alarm_names]
        }
    return config
