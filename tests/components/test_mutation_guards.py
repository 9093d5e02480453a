"""Pure decision modules: exact values that the broader tests leave loose.

Each case here was written against a mutant the mutation run (`make mutants`) found alive.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from mlops_platform.components.core.cidr import check_vpc_cidr, layout_subnets
from mlops_platform.components.eks.service.canary import (
    DEFAULT_CANARY_STEPS,
    CanaryStep,
    argo_steps,
    check_canary_steps,
    has_analysis,
)
from mlops_platform.components.sagemaker.alarm_rules import (
    AlarmDefinition,
    AlarmThresholds,
    alarm_set,
)
from mlops_platform.components.sagemaker.rollout import RolloutSpec


def test_alarm_set_names_each_alarm_by_purpose_and_says_why_it_fires() -> None:
    thresholds = AlarmThresholds(
        server_errors_per_minute=3, latency_ms=250.5, evaluation_minutes=4, breaching_minutes=3
    )
    assert alarm_set(["blue"], thresholds) == [
        AlarmDefinition(
            suffix="5xx",
            variants=("blue",),
            metric_name="Invocation5XXErrors",
            stat="Sum",
            threshold=3.0,
            evaluation_periods=4,
            datapoints_to_alarm=3,
            description="A production variant had more than 3 server errors a minute in 3 of "
            "the last 4 minutes",
        ),
        AlarmDefinition(
            suffix="latency",
            variants=("blue",),
            metric_name="ModelLatency",
            stat="p99",
            threshold=250500.0,  # microseconds
            evaluation_periods=4,
            datapoints_to_alarm=3,
            description="A production variant's p99 model latency was above 250.5 ms in 3 of "
            "the last 4 minutes",
        ),
    ]


def test_alarm_set_makes_two_alarms_over_all_variants_in_order() -> None:
    found = alarm_set(["blue", "green"], AlarmThresholds())
    assert [(a.suffix, a.variants) for a in found] == [
        ("5xx", ("blue", "green")),
        ("latency", ("blue", "green")),
    ]
    assert alarm_set([], AlarmThresholds()) == []


def test_rollout_factories_fill_in_their_documented_defaults() -> None:
    assert RolloutSpec.all_at_once() == RolloutSpec(strategy="ALL_AT_ONCE", wait_seconds=300)
    assert RolloutSpec.all_at_once(wait_seconds=60) == RolloutSpec(wait_seconds=60)
    assert RolloutSpec.canary() == RolloutSpec(strategy="CANARY", step=10, wait_seconds=600)
    assert RolloutSpec.canary(percent=5, wait_seconds=30) == RolloutSpec(
        strategy="CANARY", step=5, wait_seconds=30
    )
    assert RolloutSpec.linear() == RolloutSpec(strategy="LINEAR", step=20, wait_seconds=300)
    assert RolloutSpec.linear(percent=25, wait_seconds=90) == RolloutSpec(
        strategy="LINEAR", step=25, wait_seconds=90
    )


def test_the_smallest_vpc_aws_allows_is_a_28() -> None:
    assert check_vpc_cidr("vpc_cidr", ipaddress.IPv4Network("10.0.0.0/28")) == []
    assert check_vpc_cidr("vpc_cidr", ipaddress.IPv4Network("10.0.0.0/16")) == []
    assert [str(p) for p in check_vpc_cidr("vpc_cidr", ipaddress.IPv4Network("10.0.0.0/29"))] == [
        "vpc_cidr = '10.0.0.0/29': AWS allows VPC prefixes from /16 to /28"
    ]


def problems_of(steps: list[CanaryStep]) -> list[str]:
    return [str(p) for p in check_canary_steps(steps)]


@pytest.mark.parametrize("seconds", [0, 1, 86400])
def test_pauses_from_zero_to_a_day_are_accepted(seconds: int) -> None:
    assert problems_of([CanaryStep(set_weight=10), CanaryStep(pause_seconds=seconds)]) == []


@pytest.mark.parametrize("seconds", [86401, -1, True, 1.5])
def test_pauses_outside_zero_to_a_day_are_named(seconds: Any) -> None:
    assert problems_of([CanaryStep(pause_seconds=seconds)]) == [
        f"canary_steps[0].pause_seconds = {seconds!r}: 0 (wait for a person) or up to 86400 seconds"
    ]


@pytest.mark.parametrize("weight", [0, 1, 100])
def test_weights_from_zero_to_a_hundred_are_accepted(weight: int) -> None:
    assert problems_of([CanaryStep(set_weight=weight)]) == []


@pytest.mark.parametrize("weight", [101, -1, True, 2.5])
def test_weights_outside_zero_to_a_hundred_are_named(weight: Any) -> None:
    assert problems_of([CanaryStep(set_weight=weight)]) == [
        f"canary_steps[0].set_weight = {weight!r}: a percentage from 0 to 100"
    ]


def test_a_repeated_weight_names_the_step_it_repeats() -> None:
    steps = [
        CanaryStep(set_weight=10),
        CanaryStep(pause_seconds=60),
        CanaryStep(set_weight=30),
        CanaryStep(set_weight=30),
    ]
    assert problems_of(steps) == [
        "canary_steps[3].set_weight = 30: not above the previous weight 30 (step 2); weights "
        "must increase"
    ]


def test_a_bad_step_does_not_count_as_a_weight_for_the_steps_after_it() -> None:
    steps = [CanaryStep(set_weight=50, analysis=True), CanaryStep(set_weight=20)]
    assert problems_of(steps) == [
        "canary_steps[0] = {'set_weight': 50, 'analysis': True}: set exactly one of "
        "set_weight, pause_seconds, analysis",
    ]
    steps = [CanaryStep(set_weight=50, analysis=True), CanaryStep(analysis=True)]
    assert problems_of(steps)[1] == (
        "canary_steps[1].analysis = True: needs a set_weight step before it; with no canary "
        "traffic there is nothing to measure"
    )


def test_a_zero_weight_is_a_weight_and_a_zero_pause_a_pause() -> None:
    assert CanaryStep(set_weight=0).described() == {"set_weight": 0}
    assert CanaryStep(pause_seconds=0).described() == {"pause_seconds": 0}
    assert CanaryStep(analysis=True).described() == {"analysis": True}
    assert CanaryStep().described() == {}
    assert problems_of([CanaryStep(set_weight=0), CanaryStep(analysis=True)]) == []


def test_has_analysis_needs_an_analysis_step() -> None:
    assert not has_analysis([CanaryStep(set_weight=10), CanaryStep(pause_seconds=0)])
    assert has_analysis([CanaryStep(set_weight=10), CanaryStep(analysis=True)])
    assert not has_analysis([])


def test_steps_render_in_order_with_the_template_and_the_canary_hash() -> None:
    steps = [CanaryStep(set_weight=0), CanaryStep(analysis=True), CanaryStep(pause_seconds=5)]
    assert argo_steps(steps, "fraud-canary") == [
        {"setWeight": 0},
        {
            "analysis": {
                "templates": [{"templateName": "fraud-canary"}],
                "args": [{"name": "canary-hash", "valueFrom": {"podTemplateHashValue": "Latest"}}],
            }
        },
        {"pause": {"duration": "5s"}},
    ]


def test_the_default_steps_are_ten_then_fifty_percent_each_paused_and_analysed() -> None:
    assert (
        CanaryStep(set_weight=10),
        CanaryStep(pause_seconds=300),
        CanaryStep(analysis=True),
        CanaryStep(set_weight=50),
        CanaryStep(pause_seconds=300),
        CanaryStep(analysis=True),
    ) == DEFAULT_CANARY_STEPS
    assert check_canary_steps(DEFAULT_CANARY_STEPS) == []


def test_a_valid_pause_keeps_the_problems_found_before_it() -> None:
    assert problems_of([CanaryStep(set_weight=200), CanaryStep(pause_seconds=5)]) == [
        "canary_steps[0].set_weight = 200: a percentage from 0 to 100"
    ]


def test_laying_out_a_bad_layout_raises_every_problem_at_once() -> None:
    vpc = ipaddress.IPv4Network("10.0.0.0/24")
    with pytest.raises(ValueError, match="public_subnet_prefix = 20") as bad:
        layout_subnets(vpc, 2, 20, 29)
    assert str(bad.value) == (
        "public_subnet_prefix = 20: must be longer than the VPC's /24 and at most /28; "
        "private_subnet_prefix = 29: must be longer than the VPC's /24 and at most /28"
    )
