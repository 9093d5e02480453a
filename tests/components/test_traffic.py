"""Rollouts as pure functions: the deployment configuration, the waits, and the AWS limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlops_platform.components.sagemaker.alarm_rules import check_alarm_count
from mlops_platform.components.sagemaker.rollout import (
    PROVIDER_WAIT_SECONDS,
    Capacity,
    RolloutSpec,
    check_rollout,
    deployment_config,
    rollout_seconds,
    shifts,
    total_wait_seconds,
)

TWO_VARIANTS = [Capacity(0, "blue", 4), Capacity(1, "green", 2)]


def messages(
    rollout: RolloutSpec, capacities: list[Capacity] = TWO_VARIANTS, **kw: int
) -> list[str]:
    options = {"rollback_alarms": 4, "variant_count": len(capacities), **kw}
    return [str(p) for p in check_rollout(rollout, capacities, **options)]


def test_canary_config_shifts_the_canary_then_rolls_back_on_the_named_alarms() -> None:
    rollout = RolloutSpec(
        strategy="CANARY",
        step=10,
        wait_seconds=600,
        termination_wait_seconds=300,
        maximum_execution_timeout_seconds=3600,
    )
    assert deployment_config(rollout, ["ep-blue-5xx", "ep-blue-latency"]) == {
        "blue_green_update_policy": {
            "traffic_routing_configuration": {
                "type": "CANARY",
                "wait_interval_in_seconds": 600,
                "canary_size": {"type": "CAPACITY_PERCENT", "value": 10},
            },
            "termination_wait_in_seconds": 300,
            "maximum_execution_timeout_in_seconds": 3600,
        },
        "auto_rollback_configuration": {
            "alarms": [{"alarm_name": "ep-blue-5xx"}, {"alarm_name": "ep-blue-latency"}]
        },
    }


def test_linear_config_names_its_step_and_all_at_once_has_no_size() -> None:
    linear = deployment_config(
        RolloutSpec(strategy="LINEAR", step=2, step_unit="INSTANCE_COUNT", wait_seconds=120), []
    )
    routing = linear["blue_green_update_policy"]["traffic_routing_configuration"]
    assert routing == {
        "type": "LINEAR",
        "wait_interval_in_seconds": 120,
        "linear_step_size": {"type": "INSTANCE_COUNT", "value": 2},
    }
    assert "auto_rollback_configuration" not in linear  # no alarms: nothing to name
    at_once = deployment_config(RolloutSpec.all_at_once(wait_seconds=60), ["a"])
    assert at_once["blue_green_update_policy"]["traffic_routing_configuration"] == {
        "type": "ALL_AT_ONCE",
        "wait_interval_in_seconds": 60,
    }


def test_rolling_config_uses_the_rolling_policy_without_a_termination_wait() -> None:
    rollout = RolloutSpec(strategy="ROLLING", step=25, wait_seconds=300)
    assert deployment_config(rollout, ["a"]) == {
        "rolling_update_policy": {
            "maximum_batch_size": {"type": "CAPACITY_PERCENT", "value": 25},
            "wait_interval_in_seconds": 300,
            "maximum_execution_timeout_in_seconds": 3600,
        },
        "auto_rollback_configuration": {"alarms": [{"alarm_name": "a"}]},
    }


@pytest.mark.parametrize(
    ("rollout", "expected_shifts"),
    [
        (RolloutSpec.all_at_once(), 1),
        (RolloutSpec.canary(percent=10), 2),
        (RolloutSpec.linear(percent=20), 5),
        (RolloutSpec.linear(percent=30), 4),
        (RolloutSpec(strategy="LINEAR", step=1, step_unit="INSTANCE_COUNT"), 4),  # blue has 4
        (RolloutSpec(strategy="ROLLING", step=50), 2),
    ],
)
def test_a_rollout_bakes_once_after_every_shift(rollout: RolloutSpec, expected_shifts: int) -> None:
    assert shifts(rollout, TWO_VARIANTS) == expected_shifts
    waits = expected_shifts * rollout.wait_seconds + rollout.termination_wait_seconds
    assert total_wait_seconds(rollout, TWO_VARIANTS) == waits


@pytest.mark.parametrize(
    ("rollout", "capacities", "expected"),
    [
        (
            RolloutSpec(strategy="CANARY", step=60),
            TWO_VARIANTS,
            ["rollout.step = 60: the canary may take at most 50 % of a variant's capacity "
             "(AWS limit)"],
        ),
        (
            RolloutSpec(strategy="CANARY", step=3, step_unit="INSTANCE_COUNT"),
            TWO_VARIANTS,
            ["rollout.step = 3: 3 of variant 'blue''s 4 instances is 75 %; the canary may take "
             "at most 50 % of a variant's capacity (AWS limit)",
             "rollout.step = 3: 3 of variant 'green''s 2 instances is 150 %; the canary may "
             "take at most 50 % of a variant's capacity (AWS limit)"],
        ),
        (
            RolloutSpec.canary(percent=10),
            [Capacity(0, "blue", 1)],
            ["variants[0].instance_count = 1: a CANARY rollout shifts part of the capacity at a "
             "time and needs at least 2 instances in every production variant; use ALL_AT_ONCE "
             "or add instances"],
        ),
        (
            RolloutSpec.linear(percent=20),
            [Capacity(0, "blue", 2), Capacity(1, "green", 1)],
            ["variants[1].instance_count = 1: a LINEAR rollout shifts part of the capacity at a "
             "time and needs at least 2 instances in every production variant; use ALL_AT_ONCE "
             "or add instances"],
        ),
        (
            RolloutSpec.linear(percent=5),
            TWO_VARIANTS,
            ["rollout.step = 5: a linear step may take 10-50 % of a variant's capacity "
             "(AWS limit)"],
        ),
        (
            RolloutSpec.linear(percent=60),
            TWO_VARIANTS,
            ["rollout.step = 60: a linear step may take 10-50 % of a variant's capacity "
             "(AWS limit)"],
        ),
        (
            RolloutSpec(strategy="CANARY", step=120),
            TWO_VARIANTS,
            ["rollout.step = 120: CAPACITY_PERCENT is a share of capacity: 1-100"],
        ),
        (
            RolloutSpec(strategy="CANARY", step=0, step_unit="INSTANCE_COUNT"),
            TWO_VARIANTS,
            ["rollout.step = 0: a whole number, at least 1 (AWS minimum)"],
        ),
        (
            RolloutSpec(strategy="CANARY"),
            TWO_VARIANTS,
            ["rollout.step = None: required for a CANARY rollout"],
        ),
        (
            RolloutSpec(step=10),
            TWO_VARIANTS,
            ["rollout.step = 10: ALL_AT_ONCE shifts everything at once; remove the step"],
        ),
        (
            RolloutSpec.canary(wait_seconds=3601),
            TWO_VARIANTS,
            ["rollout.wait_seconds = 3601: 0-3600 s (AWS limit)"],
        ),
        (
            RolloutSpec(strategy="CANARY", step=10, termination_wait_seconds=4000),
            TWO_VARIANTS,
            ["rollout.termination_wait_seconds = 4000: 0-3600 s (AWS limit)"],
        ),
        (
            RolloutSpec(strategy="CANARY", step=10, maximum_execution_timeout_seconds=599),
            TWO_VARIANTS,
            ["rollout.maximum_execution_timeout_seconds = 599: 600-14400 s (the provider's "
             "limit)"],
        ),
        (
            RolloutSpec(strategy="CANARY", step=10, maximum_execution_timeout_seconds=14401),
            TWO_VARIANTS,
            ["rollout.maximum_execution_timeout_seconds = 14401: 600-14400 s (the provider's "
             "limit)"],
        ),
        (
            RolloutSpec(strategy="LINEAR", step=10, wait_seconds=300, termination_wait_seconds=600,
                        maximum_execution_timeout_seconds=3600),
            TWO_VARIANTS,
            ["rollout.maximum_execution_timeout_seconds = 3600: must be longer than the waits "
             "added up: 10 shifts x 300 s wait + 600 s termination wait = 3600 s",
                 "rollout.wait_seconds = 300: the rollout takes at least 4200 s (600 s to launch "
                 "the new fleet + 10 shifts x 300 s wait + 600 s termination wait); the provider "
                 "waits at most 3600 s for the endpoint to be InService and fails the update "
                 "after that: take larger steps or shorter waits"],
        ),
        (
            RolloutSpec(strategy="ROLLING", step=25, termination_wait_seconds=60),
            [Capacity(0, "blue", 4)],
            ["rollout.termination_wait_seconds = 60: a ROLLING rollout has no termination wait; "
             "remove it or set 0"],
        ),
        (
            RolloutSpec(strategy="ROLLING", step=4),
            [Capacity(0, "blue", 4)],
            ["rollout.step = 4: a rolling batch may take 5-50 % of a variant's capacity "
             "(AWS limit)"],
        ),
        (
            RolloutSpec(strategy="BLUE"),  # type: ignore[arg-type]
            TWO_VARIANTS,
            ["rollout.strategy = 'BLUE': allowed: ALL_AT_ONCE, CANARY, LINEAR, ROLLING"],
        ),
    ],
)  # fmt: skip
def test_rollouts_outside_the_aws_limits_are_rejected_with_exact_messages(
    rollout: RolloutSpec, capacities: list[Capacity], expected: list[str]
) -> None:
    assert messages(rollout, capacities) == expected


@pytest.mark.parametrize("strategy", ["CANARY", "LINEAR"])
def test_a_gradual_rollout_with_no_alarm_is_rejected(strategy: str) -> None:
    rollout = RolloutSpec(strategy=strategy, step=20)  # type: ignore[arg-type]
    assert messages(rollout, rollback_alarms=0) == [
        f"rollout.strategy = '{strategy}': a {strategy} rollout needs at least one rollback "
        "alarm; keep the endpoint's own alarms on or add extra rollback alarms"
    ]


def test_all_at_once_without_alarms_is_allowed_outside_prod() -> None:
    assert messages(RolloutSpec.all_at_once(), rollback_alarms=0) == []


def test_rolling_takes_a_single_variant_only() -> None:
    assert messages(RolloutSpec(strategy="ROLLING", step=25)) == [
        "rollout.strategy = 'ROLLING': AWS rolls out endpoints with a single variant only; this "
        "one has 2 (shadow included): use CANARY or LINEAR"
    ]
    assert messages(RolloutSpec(strategy="ROLLING", step=25), [Capacity(0, "blue", 4)]) == []


def test_more_than_ten_rollback_alarms_are_rejected() -> None:
    assert check_alarm_count(8, ["a", "b"]) == []
    assert [str(p) for p in check_alarm_count(8, ["a", "b", "c"])] == [
        "extra_rollback_alarms = ['a', 'b', 'c']: 11 rollback alarms (8 of the endpoint's own "
        "+ 3 extra); AWS allows at most 10"
    ]
    assert [str(p) for p in check_alarm_count(12, [])] == [
        "alarms = 12: 12 rollback alarms (12 of the endpoint's own + 0 extra); AWS "
        "allows at most 10"
    ]


waits = st.integers(min_value=0, max_value=3600)
timeouts = st.integers(min_value=600, max_value=14400)
instance_counts = st.lists(st.integers(min_value=2, max_value=40), min_size=1, max_size=4)


@st.composite
def gradual_rollouts(draw: st.DrawFn) -> tuple[RolloutSpec, list[Capacity]]:
    """Rollouts whose step is valid for the drawn variants; only the waits and timeout vary."""
    counts = draw(instance_counts)
    capacities = [Capacity(i, f"v{i}", count) for i, count in enumerate(counts)]
    strategy = draw(st.sampled_from(["ALL_AT_ONCE", "CANARY", "LINEAR"]))
    step = {"ALL_AT_ONCE": None, "CANARY": draw(st.integers(1, 50))}.get(
        strategy, draw(st.integers(10, 50))
    )
    rollout = RolloutSpec(
        strategy=strategy,
        step=step,
        wait_seconds=draw(waits),
        termination_wait_seconds=draw(waits),
        maximum_execution_timeout_seconds=draw(timeouts),
    )
    return rollout, capacities


@given(gradual_rollouts())
def test_the_timeout_is_rejected_exactly_when_the_waits_add_up_to_it(
    case: tuple[RolloutSpec, list[Capacity]],
) -> None:
    rollout, capacities = case
    found = check_rollout(rollout, capacities, rollback_alarms=1, variant_count=len(capacities))
    total = total_wait_seconds(rollout, capacities)
    timeout_problems = [p for p in found if p.field == "rollout.maximum_execution_timeout_seconds"]
    assert bool(timeout_problems) == (rollout.maximum_execution_timeout_seconds <= total)
    provider = [p for p in found if "the provider waits at most" in p.reason]
    assert bool(provider) == (rollout_seconds(rollout, capacities) > PROVIDER_WAIT_SECONDS)
    assert [p for p in found if p not in timeout_problems + provider] == []


@given(gradual_rollouts(), st.integers(min_value=1, max_value=600))
def test_longer_waits_never_shorten_the_total(
    case: tuple[RolloutSpec, list[Capacity]], more: int
) -> None:
    rollout, capacities = case
    longer = RolloutSpec(
        strategy=rollout.strategy,
        step=rollout.step,
        wait_seconds=rollout.wait_seconds + more,
        termination_wait_seconds=rollout.termination_wait_seconds,
    )
    assert total_wait_seconds(longer, capacities) > total_wait_seconds(rollout, capacities)
    assert total_wait_seconds(rollout, capacities) >= (
        rollout.wait_seconds + rollout.termination_wait_seconds
    )
