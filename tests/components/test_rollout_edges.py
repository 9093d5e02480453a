"""Rollout checks at their exact limits, and the waits counted on instance-count steps."""

from __future__ import annotations

import pytest

from mlops_platform.components.sagemaker.rollout import (
    MAX_TIMEOUT_SECONDS,
    MAX_WAIT_SECONDS,
    Capacity,
    RolloutSpec,
    check_rollout,
    rollout_seconds,
    shifts,
)

FOUR = [Capacity(0, "blue", 4)]


def problems(rollout: RolloutSpec, capacities: list[Capacity] = FOUR) -> list[str]:
    """What `check_rollout` says, with alarms and one variant per capacity."""
    found = check_rollout(rollout, capacities, rollback_alarms=2, variant_count=len(capacities))
    return [str(p) for p in found]


def by_instances(step: int, **changes: int) -> RolloutSpec:
    """A LINEAR rollout moving `step` instances at a time."""
    return RolloutSpec(strategy="LINEAR", step=step, step_unit="INSTANCE_COUNT", **changes)


def test_instance_steps_are_counted_per_variant_by_division() -> None:
    capacities = [Capacity(0, "blue", 4), Capacity(1, "green", 3)]
    assert shifts(by_instances(2), capacities) == 2
    assert shifts(by_instances(3), capacities) == 2
    assert rollout_seconds(by_instances(1, wait_seconds=100), FOUR) == 600 + 4 * 100


def test_with_no_valid_capacity_an_instance_rollout_shifts_once() -> None:
    assert shifts(by_instances(1), []) == 1
    assert (
        problems(by_instances(1, wait_seconds=400, maximum_execution_timeout_seconds=600), []) == []
    )


def test_a_valid_instance_rollout_passes_the_wait_checks() -> None:
    assert problems(by_instances(1)) == []


def test_the_timeout_counts_the_instance_steps() -> None:
    rollout = by_instances(1, wait_seconds=300, maximum_execution_timeout_seconds=1200)
    assert problems(rollout) == [
        "rollout.maximum_execution_timeout_seconds = 1200: must be longer than the waits added "
        "up: 4 shifts x 300 s wait + 0 s termination wait = 1200 s"
    ]


def test_one_shift_is_named_in_the_singular() -> None:
    rollout = RolloutSpec.all_at_once(wait_seconds=600)
    timed = RolloutSpec(
        strategy="ALL_AT_ONCE", wait_seconds=600, maximum_execution_timeout_seconds=600
    )
    assert problems(rollout) == []
    assert problems(timed) == [
        "rollout.maximum_execution_timeout_seconds = 600: must be longer than the waits added "
        "up: 1 shift x 600 s wait + 0 s termination wait = 600 s"
    ]
    slow = RolloutSpec(
        strategy="ALL_AT_ONCE", wait_seconds=3600, maximum_execution_timeout_seconds=4000
    )
    (message,) = problems(slow)
    assert message.startswith(
        "rollout.wait_seconds = 3600: the rollout takes at least 4200 s (600 s to launch the "
        "new fleet + 1 shift x 3600 s wait + 0 s termination wait)"
    )


def test_the_provider_wait_counts_the_instance_steps() -> None:
    (message,) = problems(by_instances(1, wait_seconds=900, maximum_execution_timeout_seconds=4000))
    assert message.startswith(
        "rollout.wait_seconds = 900: the rollout takes at least 4200 s (600 s to launch the new "
        "fleet + 4 shifts x 900 s wait + 0 s termination wait)"
    )


@pytest.mark.parametrize(
    "rollout",
    [
        RolloutSpec(
            strategy="ALL_AT_ONCE",
            wait_seconds=0,
            termination_wait_seconds=MAX_WAIT_SECONDS,
            maximum_execution_timeout_seconds=MAX_TIMEOUT_SECONDS,
        ),
        RolloutSpec(strategy="ALL_AT_ONCE", wait_seconds=MAX_WAIT_SECONDS),
    ],
    ids=["termination wait", "wait"],
)
def test_waits_of_exactly_an_hour_are_within_the_aws_limit(rollout: RolloutSpec) -> None:
    assert not [m for m in problems(rollout) if "(AWS limit)" in m or "provider's limit" in m]


def test_a_timeout_of_exactly_the_provider_s_limit_is_accepted() -> None:
    rollout = RolloutSpec.all_at_once()
    longest = RolloutSpec(
        strategy="ALL_AT_ONCE", maximum_execution_timeout_seconds=MAX_TIMEOUT_SECONDS
    )
    assert problems(rollout) == problems(longest) == []


def test_a_hundred_percent_canary_is_a_share_but_above_the_canary_limit() -> None:
    assert problems(RolloutSpec.canary(percent=100)) == [
        "rollout.step = 100: the canary may take at most 50 % of a variant's capacity (AWS limit)"
    ]


@pytest.mark.parametrize(("step", "instances"), [(1, 10), (5, 10)], ids=["10 %", "50 %"])
def test_instance_steps_of_exactly_the_linear_limits_are_accepted(
    step: int, instances: int
) -> None:
    assert problems(by_instances(step), [Capacity(0, "blue", instances)]) == []
