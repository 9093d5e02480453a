"""`mlops:services`: the models served on the stack's cluster, one entry per model service."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from infra.schema import MISSING, Section, StackContext, values_of
from infra.schema.first_release import FirstRelease, pinned_problems, seed_problems
from mlops_platform.components.core import ArgsError, Problem
from mlops_platform.components.eks import GpuClusterArgs, ModelServiceArgs
from mlops_platform.components.eks.cluster.node_groups import group_accelerator
from mlops_platform.components.eks.service.canary import CanaryStep, has_analysis
from mlops_platform.components.eks.service.specs import (
    AnalysisSpec,
    DisruptionSpec,
    ServiceAutoscalingSpec,
)

PROD_MIN_REPLICAS = 2
"""Prod keeps serving through one pod's loss or one node's drain."""


class CanaryStepSettings(Section):
    """One canary step: exactly one of setWeight, pauseSeconds, analysis."""

    set_weight: int | None = None
    """Percentage of pods on the new version."""
    pause_seconds: int | None = None
    """Seconds to wait; 0 waits for a person."""
    analysis: bool = False
    """Run the analysis; a failure rolls back."""


class AutoscalingSettings(Section):
    """The HorizontalPodAutoscaler (unset keys take the defaults)."""

    min_replicas: int | None = None
    """Fewest pods (default 1; prod at least 2)."""
    max_replicas: int | None = None
    """Most pods (default 3)."""
    target_cpu_utilization: int | None = None
    """CPU use to keep pods at, in % (default 70)."""
    target_requests_per_second: float | None = None
    """Requests per second per pod (default 10)."""
    scale_down_stabilization_seconds: int | None = None
    """Seconds of low load before scaling down (default 300)."""


class DisruptionSettings(Section):
    """The PodDisruptionBudget: set one key (default maxUnavailable 1)."""

    max_unavailable: int | None = None
    """Pods a drain may evict at once."""
    min_available: int | None = None
    """Pods that must stay up."""


class AnalysisSettings(Section):
    """When a canary fails (unset keys take the defaults)."""

    min_success_rate: float | None = None
    """Share of non-5xx answers, 0-1 (default 0.99)."""
    max_p95_latency_seconds: float | None = None
    """p95 latency limit in seconds (default 1.0)."""
    interval_seconds: int | None = None
    """Seconds between measurements (default 60)."""
    count: int | None = None
    """Measurements per analysis (default 5)."""
    failure_limit: int | None = None
    """Failed measurements tolerated (default 1)."""


class ServiceSettings(Section):
    """One entry of `mlops:services`; rules are checked by `ModelServiceArgs`."""

    service_name: str
    """Namespace and object name, e.g. fraud-scorer."""
    image: str
    """The model server image, pinned by tag or digest."""
    model_uri: str
    """The model's S3 prefix, e.g. s3://models/fraud-scorer/1.4.2/."""
    accelerator: str
    """The GPU model, e.g. nvidia-a10g; a GPU node group must provide it."""
    gpus: int | None = None
    """GPUs per pod (default 1)."""
    cpu: str | None = None
    """CPU request per pod (default 2)."""
    memory: str | None = None
    """Memory per pod (default 8Gi)."""
    port: int | None = None
    """Server port (default 8080)."""
    readiness_path: str | None = None
    """Readiness probe path (default /ready)."""
    liveness_path: str | None = None
    """Liveness and startup probe path (default /health)."""
    startup_timeout_seconds: int | None = None
    """Seconds to load the model (default 600)."""
    env: dict[str, str] | None = None
    """Extra environment variables."""
    canary_steps: list[CanaryStepSettings] | None = None
    """Canary steps (default: 10 %, pause, analysis, 50 %, pause, analysis)."""
    autoscaling: AutoscalingSettings | None = None
    """Replica range and scaling targets."""
    disruption: DisruptionSettings | None = None
    """Pods a node drain may evict."""
    analysis: AnalysisSettings | None = None
    """Canary failure thresholds."""
    artifact_kms_key_arn: str | None = None
    """KMS key of the model bucket, if any."""
    release: Literal["managed", "pinned"] = "pinned"
    """managed: serve the image and model that the release record
    /mlops/<env>/release/<serviceName> names (seeded with this version, written afterwards by the
    promotion workflow); pinned: these."""
    image_digest: str | None = None
    """managed only, required there: `sha256:...` digest of `image`, seeded into the record."""
    commit: str | None = None
    """managed only, required there: git commit of `image` and `modelUri`, seeded likewise."""


@dataclass(frozen=True)
class ServiceDeclaration:
    """One model service of the stack: its args, and its first release when it is managed."""

    args: ModelServiceArgs
    """The service as the stack file declares it (the record replaces image and model URI)."""
    first_release: FirstRelease | None = None
    """Digest and commit of the committed first version; None: pinned (no release record)."""


def build(settings: ServiceSettings, context: StackContext) -> ServiceDeclaration:
    """The service's args and first release; the program adds the cluster's OIDC provider."""
    if settings.release == "managed":
        problems = seed_problems("", settings.image_digest, settings.commit)
    else:
        problems = pinned_problems("", settings.image_digest, settings.commit)
    try:
        args = _args(settings, context)
    except ArgsError as error:
        raise ArgsError(error.subject, [*error.problems, *problems]) from None
    if problems:
        raise ArgsError("ServiceSettings", problems)
    first = None
    if settings.release == "managed":
        first = FirstRelease(str(settings.image_digest), str(settings.commit))
    return ServiceDeclaration(args, first)


def _args(settings: ServiceSettings, context: StackContext) -> ModelServiceArgs:
    nested = ("canary_steps", "autoscaling", "disruption", "analysis")
    fields: dict[str, Any] = values_of(settings, *nested, "release", "image_digest", "commit")
    if settings.canary_steps is not None:
        fields["canary_steps"] = [CanaryStep(**values_of(step)) for step in settings.canary_steps]
    if settings.autoscaling is not None:
        fields["autoscaling"] = ServiceAutoscalingSpec(**values_of(settings.autoscaling))
    if settings.disruption is not None:
        budget = values_of(settings.disruption)
        if "min_available" in budget:
            budget.setdefault("max_unavailable", None)
        fields["disruption"] = DisruptionSpec(**budget)
    if settings.analysis is not None:
        fields["analysis"] = AnalysisSpec(**values_of(settings.analysis))
    return ModelServiceArgs(**fields, tags=context.tags)


def environment_rules(declaration: ServiceDeclaration, context: StackContext) -> list[Problem]:
    """Prod: at least two replicas, and an analysis step so a bad canary rolls back by itself."""
    args = declaration.args
    if context.environment != "prod":
        return []
    problems = []
    if args.autoscaling.min_replicas < PROD_MIN_REPLICAS:
        problems.append(
            Problem(
                "autoscaling.min_replicas",
                args.autoscaling.min_replicas,
                f"prod needs at least {PROD_MIN_REPLICAS}, so a pod's loss or a node drain "
                "never stops serving",
            )
        )
    if not has_analysis(args.canary_steps):
        problems.append(
            Problem(
                "canary_steps",
                list(args.canary_steps),
                "prod needs an analysis step, so a failing canary rolls back by itself",
            )
        )
    return problems


def cluster_rules(
    services: Sequence[ModelServiceArgs | None],
    cluster: GpuClusterArgs | None,
    *,
    cluster_given: bool,
    prefix: str,
) -> list[Problem]:
    """Across blocks: services need a cluster, with a GPU node group for their GPU model."""
    if services and not cluster_given:
        return [Problem(prefix.rstrip(":") + ":cluster", MISSING, "required by mlops:services")]
    problems = []
    offered = (
        sorted({a for g in cluster.gpu_node_groups if (a := group_accelerator(g))})
        if cluster is not None
        else None
    )
    for index, service in enumerate(services):
        if service is None:
            continue
        where = f"{prefix}services[{index}]"
        if offered is not None and service.accelerator not in offered:
            problems.append(
                Problem(
                    f"{where}.accelerator",
                    service.accelerator,
                    f"no GPU node group provides it; the groups provide {', '.join(offered)}",
                )
            )
    return problems


def list_rules(declarations: Sequence[ServiceDeclaration | None]) -> list[Problem]:
    """Across the entries: each service has a name of its own. Fields are `[index].key`."""
    services = [d.args if d is not None else None for d in declarations]
    names = Counter(s.service_name for s in services if s is not None)
    return [
        Problem(f"[{index}].serviceName", service.service_name, "each service needs its own")
        for index, service in enumerate(services)
        if service is not None and names[service.service_name] > 1
    ]


def first_releases(declarations: Sequence[ServiceDeclaration | None]) -> dict[str, FirstRelease]:
    """The managed services' first releases, by service name."""
    return {
        d.args.service_name: d.first_release
        for d in declarations
        if d is not None and d.first_release is not None
    }
