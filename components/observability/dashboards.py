"""CloudWatch dashboard bodies per monitored target, from one small spec per target.

A target is a SageMaker endpoint (`EndpointTarget`) or a model service on EKS
(`ServiceTarget`). `endpoint_dashboard` and `service_dashboard` return the dashboard body as a
dict; the component serialises it with `pulumi.Output.json_dumps` into `dashboard_body`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SAGEMAKER = "AWS/SageMaker"
"""Invocation metrics of endpoints, by EndpointName and VariantName."""
ENDPOINT_INSTANCES = "/aws/sagemaker/Endpoints"
"""Instance utilisation metrics of endpoints, by EndpointName and VariantName."""
DRIFT = "mlops/Drift"
"""What the drift check publishes."""
DRIFT_FEATURE_METRIC = "FeatureDrift"
"""Per feature and statistic (dimensions Endpoint, Feature, Statistic)."""
DRIFT_DETECTED_METRIC = "DriftDetected"
"""1 when a window drifted, 0 when not (dimension Endpoint)."""
DRIFT_STATISTICS = ("KS_D", "PSI")
DRIFT_WINDOW_METRICS = ("CaptureRecords", "MalformedRecords")
"""Rows read from the capture window and rows skipped as malformed (dimension Endpoint)."""
CONTAINER_INSIGHTS = "ContainerInsights"
"""Pod metrics of EKS services, by Service, Namespace and ClusterName."""
LATENCY_PERCENTILES = ("p50", "p90", "p99")
_WIDTH = 24
_HEIGHT = 6


@dataclass(frozen=True, kw_only=True)
class VariantBounds:
    """One production variant and the instance counts autoscaling keeps it between."""

    name: str
    min_instances: int
    max_instances: int


@dataclass(frozen=True, kw_only=True)
class EndpointTarget:
    """What the dashboards and alarms of one SageMaker endpoint need to know."""

    endpoint_name: str
    """The endpoint's physical name, as CloudWatch's EndpointName dimension carries it."""
    variants: tuple[VariantBounds, ...]
    """Production variants with their autoscaling bounds."""
    rollback_alarm_names: tuple[str, ...] = ()
    """Alarms the endpoint's deployment rolls back on; shown in an alarm-status widget."""
    drift_features: tuple[str, ...] = ()
    """Features the drift check compares; none hides the drift widgets."""
    gpu: bool = False
    """Whether the instances have GPUs, which adds GPU utilisation widgets."""

    def __post_init__(self) -> None:
        problems = check_endpoint_target(self)
        if problems:
            raise ValueError("EndpointTarget is invalid: " + "; ".join(problems))


@dataclass(frozen=True, kw_only=True)
class ServiceTarget:
    """What the dashboards of one model service on EKS need to know."""

    cluster_name: str
    """The EKS cluster's name, as Container Insights' ClusterName dimension carries it."""
    namespace: str
    service_name: str
    """The Kubernetes Service in front of the pods."""
    rollout_name: str
    """The Argo Rollouts `Rollout` whose canary and stable pods the Grafana panels split."""


def check_endpoint_target(target: EndpointTarget) -> list[str]:
    """Every problem with an endpoint target, as `field = value: reason` lines."""
    problems: list[str] = []
    if not target.endpoint_name:
        problems.append("endpoint_name = '': must name the endpoint")
    if not target.variants:
        problems.append("variants = (): an endpoint serves at least one variant")
    names = [variant.name for variant in target.variants]
    for index, variant in enumerate(target.variants):
        field = f"variants[{index}]"
        if names.count(variant.name) > 1:
            problems.append(f"{field}.name = {variant.name!r}: variant names must be unique")
        if variant.min_instances < 1:
            problems.append(f"{field}.min_instances = {variant.min_instances}: must be at least 1")
        if variant.max_instances < variant.min_instances:
            problems.append(
                f"{field}.max_instances = {variant.max_instances}: must be at least "
                f"min_instances ({variant.min_instances})"
            )
    if len(target.rollback_alarm_names) > len(set(target.rollback_alarm_names)):
        problems.append(
            f"rollback_alarm_names = {list(target.rollback_alarm_names)!r}: names repeat"
        )
    return problems


def alarm_arn(region: str, account_id: str, name: str, partition: str = "aws") -> str:
    """The ARN of the alarm called `name`; alarm-status widgets take ARNs, not names."""
    return f"arn:{partition}:cloudwatch:{region}:{account_id}:alarm:{name}"


def _widget(y: int, title: str, properties: dict[str, Any], kind: str = "metric") -> dict[str, Any]:
    return {
        "type": kind,
        "x": 0,
        "y": y,
        "width": _WIDTH,
        "height": _HEIGHT,
        "properties": {"title": title, **properties},
    }


def _series(region: str, metrics: list[list[Any]], **extra: Any) -> dict[str, Any]:
    return {"view": "timeSeries", "region": region, "period": 60, "metrics": metrics, **extra}


def _per_variant(target: EndpointTarget, namespace: str, metric: str, stat: str) -> list[list[Any]]:
    return [
        [
            namespace,
            metric,
            "EndpointName",
            target.endpoint_name,
            "VariantName",
            variant.name,
            {"stat": stat, "label": f"{variant.name} {metric} {stat}"},
        ]
        for variant in target.variants
    ]


def _instance_count(target: EndpointTarget, variant: VariantBounds, region: str) -> dict[str, Any]:
    """Instances in service = Invocations / InvocationsPerInstance (no metric carries it)."""
    dims = ["EndpointName", target.endpoint_name, "VariantName", variant.name]
    metrics: list[list[Any]] = [
        [{"expression": "inv / per", "label": "instances", "id": "count"}],
        [SAGEMAKER, "Invocations", *dims, {"id": "inv", "stat": "Sum", "visible": False}],
        [
            SAGEMAKER,
            "InvocationsPerInstance",
            *dims,
            {"id": "per", "stat": "Sum", "visible": False},
        ],
    ]
    bounds = [
        {"label": "autoscaling min", "value": variant.min_instances},
        {"label": "autoscaling max", "value": variant.max_instances},
    ]
    return _series(region, metrics, annotations={"horizontal": bounds})


def _core_sections(target: EndpointTarget, region: str) -> list[tuple[str, dict[str, Any], str]]:
    """Traffic, errors, latency and utilisation: (title, properties, widget type) each."""
    utilisation = ["CPUUtilization", "MemoryUtilization", "DiskUtilization"]
    if target.gpu:
        utilisation += ["GPUUtilization", "GPUMemoryUtilization"]
    errors = [
        row
        for metric in ("Invocation4XXErrors", "Invocation5XXErrors")
        for row in _per_variant(target, SAGEMAKER, metric, "Sum")
    ]
    latency = [
        row
        for stat in LATENCY_PERCENTILES
        for row in _per_variant(target, SAGEMAKER, "ModelLatency", stat)
    ]
    usage = [
        row
        for metric in utilisation
        for row in _per_variant(target, ENDPOINT_INSTANCES, metric, "Average")
    ]
    invocations = _per_variant(target, SAGEMAKER, "Invocations", "Sum")
    return [
        ("Invocations", _series(region, invocations), "metric"),
        ("4XX and 5XX errors", _series(region, errors), "metric"),
        ("Model latency (microseconds)", _series(region, latency), "metric"),
        ("Instance utilisation (%)", _series(region, usage), "metric"),
    ]


def endpoint_dashboard(target: EndpointTarget, *, region: str, account_id: str) -> dict[str, Any]:
    """The dashboard body of one endpoint: traffic, errors, latency, instances, alarms, drift."""
    sections = _core_sections(target, region)
    sections += [
        (
            f"Instances of {variant.name} vs autoscaling bounds",
            _instance_count(target, variant, region),
            "metric",
        )
        for variant in target.variants
    ]
    if target.rollback_alarm_names:
        arns = [alarm_arn(region, account_id, name) for name in target.rollback_alarm_names]
        sections.append(("Rollback alarms", {"alarms": arns}, "alarm"))
    sections += _drift_sections(target, region)
    widgets = [
        _widget(index * _HEIGHT, title, properties, kind)
        for index, (title, properties, kind) in enumerate(sections)
    ]
    return {"start": "-PT12H", "periodOverride": "inherit", "widgets": widgets}


def _drift_sections(target: EndpointTarget, region: str) -> list[tuple[str, dict[str, Any], str]]:
    if not target.drift_features:
        return []
    sections = [
        (
            f"Drift {statistic} per feature",
            _series(
                region,
                [
                    [
                        DRIFT,
                        DRIFT_FEATURE_METRIC,
                        "Endpoint",
                        target.endpoint_name,
                        "Feature",
                        feature,
                        "Statistic",
                        statistic,
                        {"stat": "Maximum", "label": feature},
                    ]
                    for feature in target.drift_features
                ],
                period=3600,
            ),
            "metric",
        )
        for statistic in DRIFT_STATISTICS
    ]
    detected = [
        [DRIFT, DRIFT_DETECTED_METRIC, "Endpoint", target.endpoint_name, {"stat": "Maximum"}]
    ]
    sections.append(("Drift detected", _series(region, detected, period=3600), "metric"))
    window = [
        [DRIFT, metric, "Endpoint", target.endpoint_name, {"stat": "Sum"}]
        for metric in DRIFT_WINDOW_METRICS
    ]
    sections.append(
        (
            "Drift window: captured and malformed rows",
            _series(region, window, period=3600),
            "metric",
        )
    )
    return sections


def service_dashboard(target: ServiceTarget, *, region: str) -> dict[str, Any]:
    """The dashboard body of one EKS model service, from Container Insights pod metrics.

    Requests, errors and latency of EKS services live in Prometheus; see `grafana`.
    """
    dims = [
        "Service",
        target.service_name,
        "Namespace",
        target.namespace,
        "ClusterName",
        target.cluster_name,
    ]

    def rows(*metrics: str) -> list[list[Any]]:
        return [[CONTAINER_INSIGHTS, metric, *dims, {"stat": "Average"}] for metric in metrics]

    sections = [
        (
            "Pod CPU and memory utilisation (%)",
            rows("pod_cpu_utilization", "pod_memory_utilization"),
        ),
        ("Running pods", rows("service_number_of_running_pods")),
        ("Pod network (bytes/s)", rows("pod_network_rx_bytes", "pod_network_tx_bytes")),
    ]
    widgets = [
        _widget(index * _HEIGHT, title, _series(region, metrics))
        for index, (title, metrics) in enumerate(sections)
    ]
    return {"start": "-PT12H", "periodOverride": "inherit", "widgets": widgets}
