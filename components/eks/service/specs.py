"""How a model service scales, survives node drains and judges a canary: specs and their rules."""

from __future__ import annotations

from dataclasses import dataclass

from mlops_platform.components.core.checks import is_number, is_whole
from mlops_platform.components.core.errors import Problem

MAX_REPLICAS = 100
"""More replicas than this in one service is a typo, not a plan."""


@dataclass(frozen=True, kw_only=True)
class ServiceAutoscalingSpec:
    """The HorizontalPodAutoscaler: replica range, targets and how fast it scales down."""

    min_replicas: int = 1
    """Fewest pods, 1 or more (prod config asks for 2 or more)."""
    max_replicas: int = 3
    """Most pods; each takes its GPUs, so the GPU groups must have room for them."""
    target_cpu_utilization: int = 70
    """Average CPU use, in % of the request, the HPA keeps pods at."""
    target_requests_per_second: float = 10
    """Requests per second per pod the HPA keeps pods at (from Prometheus, via the adapter)."""
    scale_down_stabilization_seconds: int = 300
    """How long load must stay low before pods are removed, so a lull does not drop capacity."""


@dataclass(frozen=True, kw_only=True)
class DisruptionSpec:
    """The PodDisruptionBudget: how many pods a node drain may take at once. Set one field."""

    max_unavailable: int | None = 1
    """Pods a drain may evict at once; at least 1, or no node could ever drain."""
    min_available: int | None = None
    """Pods that must stay up; below the autoscaler's minimum, or no node could ever drain."""


@dataclass(frozen=True, kw_only=True)
class AnalysisSpec:
    """When a canary counts as failed; a failure aborts the rollout and restores the old pods."""

    min_success_rate: float = 0.99
    """Share of canary requests that must not answer 5xx, from 0 to 1."""
    max_p95_latency_seconds: float = 1.0
    """The canary's 95th-percentile latency must stay at or under this."""
    interval_seconds: int = 60
    """Seconds between measurements."""
    count: int = 5
    """Measurements per analysis step."""
    failure_limit: int = 1
    """Failed measurements tolerated before the analysis fails; below `count`."""


def check_autoscaling(spec: ServiceAutoscalingSpec, field: str = "autoscaling") -> list[Problem]:
    """Replica range and targets; min_replicas 1 or more and not above max_replicas."""
    problems: list[Problem] = []
    low, high = spec.min_replicas, spec.max_replicas
    if not is_whole(low) or low < 1:
        problems.append(Problem(f"{field}.min_replicas", low, "at least 1"))
    if not is_whole(high) or not 1 <= high <= MAX_REPLICAS:
        problems.append(Problem(f"{field}.max_replicas", high, f"from 1 to {MAX_REPLICAS}"))
    elif is_whole(low) and low > high:
        problems.append(
            Problem(
                f"{field}.min_replicas",
                low,
                f"above the maximum replicas {high}; the minimum may not exceed it",
            )
        )
    if not is_whole(spec.target_cpu_utilization) or not 1 <= spec.target_cpu_utilization <= 100:  # noqa: PLR2004
        problems.append(
            Problem(
                f"{field}.target_cpu_utilization",
                spec.target_cpu_utilization,
                "a percentage of the CPU request from 1 to 100",
            )
        )
    if not is_number(spec.target_requests_per_second) or spec.target_requests_per_second <= 0:
        problems.append(
            Problem(
                f"{field}.target_requests_per_second",
                spec.target_requests_per_second,
                "a number of requests per second above 0",
            )
        )
    seconds = spec.scale_down_stabilization_seconds
    if not is_whole(seconds) or not 0 <= seconds <= 3600:  # noqa: PLR2004 - the API's limit
        problems.append(
            Problem(f"{field}.scale_down_stabilization_seconds", seconds, "from 0 to 3600")
        )
    return problems


def check_disruption(
    spec: DisruptionSpec, min_replicas: int, field: str = "disruption"
) -> list[Problem]:
    """One of the two fields, and a budget that still lets every node drain."""
    if (spec.max_unavailable is None) == (spec.min_available is None):
        return [
            Problem(
                field,
                {"max_unavailable": spec.max_unavailable, "min_available": spec.min_available},
                "set exactly one of max_unavailable and min_available",
            )
        ]
    if spec.max_unavailable is not None:
        if not is_whole(spec.max_unavailable) or spec.max_unavailable < 1:
            return [
                Problem(
                    f"{field}.max_unavailable",
                    spec.max_unavailable,
                    "at least 1; with 0 no pod can be evicted, so no node could ever drain",
                )
            ]
        return []
    available = spec.min_available
    if not is_whole(available) or available < 0:
        return [Problem(f"{field}.min_available", available, "a whole number, 0 or more")]
    if is_whole(min_replicas) and available >= min_replicas:
        return [
            Problem(
                f"{field}.min_available",
                available,
                f"not below the {min_replicas} replicas the autoscaler may scale down to "
                "(autoscaling.min_replicas); no pod could be evicted, so no node could ever "
                "drain",
            )
        ]
    return []


def check_analysis(spec: AnalysisSpec, field: str = "analysis") -> list[Problem]:
    """Thresholds that can be met, and a measurement plan that can fail."""
    problems: list[Problem] = []
    if not is_number(spec.min_success_rate) or not 0 < spec.min_success_rate <= 1:
        problems.append(
            Problem(f"{field}.min_success_rate", spec.min_success_rate, "a share above 0, up to 1")
        )
    if not is_number(spec.max_p95_latency_seconds) or spec.max_p95_latency_seconds <= 0:
        problems.append(
            Problem(
                f"{field}.max_p95_latency_seconds",
                spec.max_p95_latency_seconds,
                "a number of seconds above 0",
            )
        )
    if not is_whole(spec.interval_seconds) or not 10 <= spec.interval_seconds <= 3600:  # noqa: PLR2004
        problems.append(
            Problem(f"{field}.interval_seconds", spec.interval_seconds, "from 10 to 3600")
        )
    if not is_whole(spec.count) or not 1 <= spec.count <= 100:  # noqa: PLR2004
        problems.append(Problem(f"{field}.count", spec.count, "from 1 to 100"))
    elif not is_whole(spec.failure_limit) or not 0 <= spec.failure_limit < spec.count:
        problems.append(
            Problem(
                f"{field}.failure_limit",
                spec.failure_limit,
                f"from 0 to {spec.count - 1}, below count, or the analysis could never fail",
            )
        )
    return problems
