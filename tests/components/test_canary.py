"""Canary steps as pure values: what is accepted, what is rejected, how steps render."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mlops_platform.components.eks.service.canary import (
    CanaryStep,
    argo_steps,
    check_canary_steps,
    has_analysis,
)


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=8, unique=True))
def test_increasing_weights_with_analysis_after_each_are_accepted(weights: list[int]) -> None:
    steps = []
    for weight in sorted(weights):
        steps += [CanaryStep(set_weight=weight), CanaryStep(analysis=True)]
    assert check_canary_steps(steps) == []
    assert has_analysis(steps)


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=2, max_size=8))
def test_a_weight_not_above_the_one_before_is_named(weights: list[int]) -> None:
    steps = [CanaryStep(set_weight=w) for w in weights]
    flagged = {p.field for p in check_canary_steps(steps)}
    expected = {
        f"canary_steps[{i}].set_weight"
        for i in range(1, len(weights))
        if weights[i] <= max(weights[:i])
        and all(weights[j] < weights[j + 1] for j in range(i - 1))  # the ones before increase
    }
    assert expected <= flagged


def test_steps_need_exactly_one_kind_and_weight_before_analysis() -> None:
    problems = check_canary_steps(
        [CanaryStep(analysis=True), CanaryStep(), CanaryStep(set_weight=10, pause_seconds=5)]
    )
    assert [str(p) for p in problems] == [
        "canary_steps[0].analysis = True: needs a set_weight step before it; with no canary "
        "traffic there is nothing to measure",
        "canary_steps[1] = {}: set exactly one of set_weight, pause_seconds, analysis",
        "canary_steps[2] = {'set_weight': 10, 'pause_seconds': 5}: set exactly one of "
        "set_weight, pause_seconds, analysis",
    ]
    assert [str(p) for p in check_canary_steps([])] == [
        "canary_steps = []: at least one step; without steps a rollout is all at once"
    ]
    assert [str(p) for p in check_canary_steps([CanaryStep(pause_seconds=-1)])] == [
        "canary_steps[0].pause_seconds = -1: 0 (wait for a person) or up to 86400 seconds"
    ]


def test_pauses_render_as_timed_or_indefinite() -> None:
    rendered = argo_steps([CanaryStep(pause_seconds=90), CanaryStep(pause_seconds=0)], "t")
    assert rendered == [{"pause": {"duration": "90s"}}, {"pause": {}}]
