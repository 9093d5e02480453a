"""Variants as plain values: weights as ratios, image repositories, and the alarm set."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlops_platform.components.sagemaker.alarm_rules import (
    AlarmThresholds,
    alarm_set,
    check_thresholds,
)
from mlops_platform.components.sagemaker.sources import repository_arn
from mlops_platform.components.sagemaker.variants import VariantSpec, normalised_weights

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:1.4.0"


def variant(name: str, weight: float, *, shadow: bool = False) -> VariantSpec:
    return VariantSpec(name=name, instance_type="ml.m5.large", weight=weight, shadow=shadow)


def test_percentages_and_ratios_give_the_same_ratios() -> None:
    percent = normalised_weights(
        [variant("a", 90), variant("b", 10), variant("s", 50, shadow=True)]
    )
    ratio = normalised_weights(
        [variant("a", 0.9), variant("b", 0.1), variant("s", 0.5, shadow=True)]
    )
    assert percent == ratio == {"a": 0.9, "b": 0.1, "s": 0.5}


def test_a_zero_weight_variant_takes_no_traffic() -> None:
    assert normalised_weights([variant("a", 3), variant("b", 0)]) == {"a": 1.0, "b": 0.0}


weights = st.lists(
    st.floats(min_value=0, max_value=1000, allow_nan=False), min_size=1, max_size=10
).filter(lambda ws: sum(ws) > 1e-3)


@given(weights, st.floats(min_value=0.01, max_value=100))
def test_ratios_sum_to_one_keep_proportions_and_ignore_scale(
    given_weights: list[float], scale: float
) -> None:
    variants = [variant(f"v{i}", w) for i, w in enumerate(given_weights)]
    ratios = normalised_weights(variants)
    assert math.isclose(sum(ratios.values()), 1.0, abs_tol=1e-5)
    assert all(r >= 0 for r in ratios.values())
    total = sum(given_weights)
    for v in variants:
        assert math.isclose(ratios[v.name], v.weight / total, abs_tol=1e-6)
    scaled = normalised_weights([variant(v.name, v.weight * scale) for v in variants])
    for name, value in ratios.items():
        assert math.isclose(scaled[name], value, abs_tol=2e-6)


@pytest.mark.parametrize(
    ("image", "arn"),
    [
        (IMAGE, "arn:aws:ecr:us-east-1:123456789012:repository/fraud"),
        (
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/fraud@sha256:" + "a" * 64,
            "arn:aws:ecr:eu-west-1:123456789012:repository/team/fraud",
        ),
        (
            "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/fraud:2",
            "arn:aws-cn:ecr:cn-north-1:123456789012:repository/fraud",
        ),
        ("docker.io/library/python:3.11", None),
        ("123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud", None),  # no tag or digest
    ],
)
def test_images_map_to_the_repository_the_role_may_pull(image: str, arn: str | None) -> None:
    assert repository_arn(image) == arn


@pytest.mark.parametrize("variants", [["blue"], ["blue", "green"], ["a", "b", "c", "d"]])
def test_the_endpoint_has_an_error_and_a_latency_alarm_whatever_its_variants(
    variants: list[str],
) -> None:
    thresholds = AlarmThresholds(
        server_errors_per_minute=3,
        latency_percentile="p99.9",
        latency_ms=250,
        evaluation_minutes=5,
        breaching_minutes=3,
    )
    found = alarm_set(variants, thresholds)
    assert [(a.suffix, a.metric_name, a.stat, a.threshold) for a in found] == [
        ("5xx", "Invocation5XXErrors", "Sum", 3.0),
        ("latency", "ModelLatency", "p99.9", 250_000.0),  # ModelLatency is in µs
    ]
    assert {(a.evaluation_periods, a.datapoints_to_alarm) for a in found} == {(5, 3)}
    assert found[1].description == (
        "A production variant's p99.9 model latency was above 250 ms in 3 of the last 5 minutes"
    )
    queries = found[0].queries()
    assert [q.get("label") for q in queries[:-1]] == variants
    ids = ", ".join(f"v{i}" for i in range(len(variants)))
    assert queries[-1]["expression"] == f"MAX([{ids}])"
    assert [q["return_data"] for q in queries] == [False] * len(variants) + [True]


@pytest.mark.parametrize(
    ("thresholds", "expected"),
    [
        (AlarmThresholds(latency_percentile="99"),
         ["alarms.latency_percentile = '99': a CloudWatch percentile from p0 to p100, e.g. p90, "
          "p99 or p99.9"]),
        (AlarmThresholds(latency_ms=0),
         ["alarms.latency_ms = 0: a number of milliseconds above 0"]),
        (AlarmThresholds(server_errors_per_minute=-1),
         ["alarms.server_errors_per_minute = -1: a whole number, 0 or more"]),
        (AlarmThresholds(evaluation_minutes=3, breaching_minutes=4),
         ["alarms.breaching_minutes = 4: 1 to the minutes evaluated (3)"]),
        (AlarmThresholds(evaluation_minutes=0),
         ["alarms.evaluation_minutes = 0: 1-1440 (CloudWatch evaluates at most a day)"]),
    ],
)  # fmt: skip
def test_thresholds_cloudwatch_rejects_are_rejected(
    thresholds: AlarmThresholds, expected: list[str]
) -> None:
    assert [str(p) for p in check_thresholds(thresholds)] == expected
