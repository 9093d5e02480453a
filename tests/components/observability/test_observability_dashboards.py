from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from observability_catalogue import CLOUDWATCH, DRIFT_STATISTICS

from mlops_platform.components.observability.dashboards import (
    EndpointTarget,
    ServiceTarget,
    VariantBounds,
    endpoint_dashboard,
    service_dashboard,
)

TARGET = EndpointTarget(
    endpoint_name="fraud",
    variants=(
        VariantBounds(name="blue", min_instances=2, max_instances=6),
        VariantBounds(name="green", min_instances=1, max_instances=3),
    ),
    rollback_alarm_names=("fraud-rollback-5xx", "fraud-rollback-latency"),
    drift_features=("amount", "merchant"),
    gpu=True,
)
SERVICE = ServiceTarget(
    cluster_name="gpu", namespace="ranker", service_name="ranker", rollout_name="ranker"
)


def round_trip(body: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(body)
    parsed: dict[str, Any] = json.loads(text)
    assert parsed == body
    return parsed


def metric_rows(body: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for widget in body["widgets"]:
        for row in widget["properties"].get("metrics", []):
            if not isinstance(row[0], dict):  # a math expression, not a metric
                rows.append(row)
    return rows


def dimensions(row: list[Any]) -> dict[str, str]:
    plain = [item for item in row[2:] if not isinstance(item, dict)]
    return dict(zip(plain[::2], plain[1::2], strict=True))


@pytest.mark.parametrize(
    "body",
    [
        endpoint_dashboard(TARGET, region="eu-west-1", account_id="123456789012"),
        service_dashboard(SERVICE, region="eu-west-1"),
    ],
    ids=["endpoint", "service"],
)
def test_every_widget_metric_is_one_the_platform_emits(body: dict[str, Any]) -> None:
    rows = metric_rows(round_trip(body))
    assert rows
    for row in rows:
        key = (row[0], row[1])
        assert key in CLOUDWATCH, key
        assert frozenset(dimensions(row)) in CLOUDWATCH[key], row


def widget(body: dict[str, Any], title: str) -> dict[str, Any]:
    (found,) = [w for w in body["widgets"] if w["properties"]["title"] == title]
    return found


BODY = endpoint_dashboard(TARGET, region="eu-west-1", account_id="123456789012")


def test_endpoint_dashboard_has_each_section_in_order() -> None:
    assert [w["properties"]["title"] for w in BODY["widgets"]] == [
        "Invocations",
        "4XX and 5XX errors",
        "Model latency (microseconds)",
        "Instance utilisation (%)",
        "Instances of blue vs autoscaling bounds",
        "Instances of green vs autoscaling bounds",
        "Rollback alarms",
        "Drift KS_D per feature",
        "Drift PSI per feature",
        "Drift detected",
        "Drift window: captured and malformed rows",
    ]
    assert len({w["y"] for w in BODY["widgets"]}) == len(BODY["widgets"])  # nothing overlaps


def test_latency_shows_three_percentiles_per_variant() -> None:
    rows = widget(BODY, "Model latency (microseconds)")["properties"]["metrics"]
    stats = {(dimensions(r)["VariantName"], r[-1]["stat"]) for r in rows}
    assert stats == {(v, p) for v in ("blue", "green") for p in ("p50", "p90", "p99")}


def test_gpu_widgets_only_for_gpu_endpoints() -> None:
    def utilisation(target: EndpointTarget) -> set[str]:
        body = endpoint_dashboard(target, region="eu-west-1", account_id="1")
        return {r[1] for r in widget(body, "Instance utilisation (%)")["properties"]["metrics"]}

    assert {"GPUUtilization", "GPUMemoryUtilization"} <= utilisation(TARGET)
    cpu_only = EndpointTarget(endpoint_name="e", variants=TARGET.variants)
    assert utilisation(cpu_only) == {"CPUUtilization", "MemoryUtilization", "DiskUtilization"}


def test_instance_count_is_drawn_against_the_variants_bounds() -> None:
    properties = widget(BODY, "Instances of blue vs autoscaling bounds")["properties"]
    assert properties["annotations"]["horizontal"] == [
        {"label": "autoscaling min", "value": 2},
        {"label": "autoscaling max", "value": 6},
    ]
    expression, *inputs = properties["metrics"]
    assert expression[0]["expression"] == "inv / per"
    assert {row[-1]["id"]: row[1] for row in inputs} == {
        "inv": "Invocations",
        "per": "InvocationsPerInstance",
    }
    assert all(dimensions(row)["VariantName"] == "blue" for row in inputs)


def test_alarm_widget_lists_the_rollback_alarms_by_arn() -> None:
    properties = widget(BODY, "Rollback alarms")
    assert properties["type"] == "alarm"
    assert properties["properties"]["alarms"] == [
        "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:fraud-rollback-5xx",
        "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:fraud-rollback-latency",
    ]


def test_drift_widgets_cover_every_feature_and_statistic() -> None:
    seen = set()
    for statistic in ("KS_D", "PSI"):
        for row in widget(BODY, f"Drift {statistic} per feature")["properties"]["metrics"]:
            dims = dimensions(row)
            assert dims["Endpoint"] == "fraud"
            seen.add((dims["Feature"], dims["Statistic"]))
    assert seen == {(f, s) for f in TARGET.drift_features for s in ("KS_D", "PSI")}
    for row in metric_rows(BODY):
        if row[1] == "FeatureDrift":
            assert dimensions(row)["Statistic"] in DRIFT_STATISTICS


def test_no_drift_features_and_no_rollback_alarms_hide_those_widgets() -> None:
    plain = EndpointTarget(endpoint_name="e", variants=TARGET.variants)
    titles = [
        w["properties"]["title"]
        for w in endpoint_dashboard(plain, region="r", account_id="1")["widgets"]
    ]
    assert not [t for t in titles if "Drift" in t or "alarm" in t]


def test_service_dashboard_selects_the_service() -> None:
    body = service_dashboard(SERVICE, region="eu-west-1")
    for row in metric_rows(body):
        assert dimensions(row) == {"Service": "ranker", "Namespace": "ranker", "ClusterName": "gpu"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"endpoint_name": ""}, "endpoint_name = '': must name the endpoint"),
        ({"variants": ()}, "variants = (): an endpoint serves at least one variant"),
        (
            {"variants": (VariantBounds(name="a", min_instances=0, max_instances=1),)},
            "variants[0].min_instances = 0: must be at least 1",
        ),
        (
            {"variants": (VariantBounds(name="a", min_instances=3, max_instances=2),)},
            "variants[0].max_instances = 2: must be at least min_instances (3)",
        ),
        (
            {
                "variants": (
                    VariantBounds(name="a", min_instances=1, max_instances=1),
                    VariantBounds(name="a", min_instances=1, max_instances=1),
                )
            },
            "variants[0].name = 'a': variant names must be unique; "
            "variants[1].name = 'a': variant names must be unique",
        ),
        ({"rollback_alarm_names": ("x", "x")}, "rollback_alarm_names = ['x', 'x']: names repeat"),
    ],
)
def test_bad_endpoint_targets(kwargs: dict[str, Any], message: str) -> None:
    base: dict[str, Any] = {"endpoint_name": "e", "variants": TARGET.variants}
    with pytest.raises(ValueError, match=re.escape(message)) as raised:
        EndpointTarget(**{**base, **kwargs})
    assert str(raised.value) == f"EndpointTarget is invalid: {message}"


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20)


@st.composite
def targets(draw: st.DrawFn) -> EndpointTarget:
    variant_names = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    variants = []
    for name in variant_names:
        low = draw(st.integers(min_value=1, max_value=10))
        variants.append(
            VariantBounds(
                name=name,
                min_instances=low,
                max_instances=draw(st.integers(min_value=low, max_value=20)),
            )
        )
    return EndpointTarget(
        endpoint_name=draw(names),
        variants=tuple(variants),
        rollback_alarm_names=tuple(draw(st.lists(names, max_size=3, unique=True))),
        drift_features=tuple(draw(st.lists(names, max_size=5, unique=True))),
        gpu=draw(st.booleans()),
    )


@given(targets())
@settings(max_examples=50, deadline=None)
def test_any_valid_target_gives_a_dashboard_of_emitted_metrics(target: EndpointTarget) -> None:
    body = round_trip(endpoint_dashboard(target, region="eu-west-1", account_id="123456789012"))
    for row in metric_rows(body):
        assert frozenset(dimensions(row)) in CLOUDWATCH[(row[0], row[1])]
        assert dimensions(row).get("EndpointName", target.endpoint_name) == target.endpoint_name
    bounded = [w for w in body["widgets"] if "annotations" in w["properties"]]
    assert len(bounded) == len(target.variants)
