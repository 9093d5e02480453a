"""`mlops:endpoints`: the model endpoints of a stack, zero or more.

AWS limits and rollout rules are checked by `ModelEndpointArgs`, so they hold without this
config too; this module adds the shape of the keys and prod's rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import AfterValidator

from infra.schema import Section, StackContext, values_of
from infra.schema.drift import DriftSettings, build_drift
from infra.schema.first_release import FirstRelease, first_releases
from mlops_platform.components.core import ArgsError, Problem
from mlops_platform.components.observability import DriftDetectorArgs
from mlops_platform.components.sagemaker import (
    DataCaptureSpec,
    ModelEndpointArgs,
    RolloutSpec,
    StepUnit,
    Strategy,
)
from mlops_platform.components.sagemaker.alarm_rules import AlarmThresholds
from mlops_platform.components.sagemaker.args import check_physical_names
from mlops_platform.components.sagemaker.variants import VariantAutoscalingSpec, VariantSpec

_ENDPOINT_NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$")


def _endpoint_name(value: str) -> str:
    if not _ENDPOINT_NAME.match(value):
        raise ValueError("2-32 lowercase letters, digits or inner hyphens, starting with a letter")
    return value


class AutoscalingSettings(Section):
    """`autoscaling` of a variant: target tracking on invocations per instance."""

    min_capacity: int
    """The fewest instances."""
    max_capacity: int
    """The most instances."""
    invocations_per_instance: float | None = None
    """Invocations per instance per minute to keep the variant at (default 1000)."""
    scale_in_cooldown_seconds: int | None = None
    """Seconds between scale-ins (default 300)."""
    scale_out_cooldown_seconds: int | None = None
    """Seconds between scale-outs (default 60)."""


class VariantSettings(Section):
    """One entry of `variants`."""

    name: str
    """The variant's name; keep it across versions."""
    instance_type: str
    """A SageMaker instance type, e.g. ml.m5.large."""
    instance_count: int | None = None
    """Instances at the start (default 1; prod needs 2)."""
    weight: float | None = None
    """Share of traffic, as a percentage or a ratio (default 1)."""
    image: str | None = None
    """ECR image URI with a tag or digest."""
    model_data: str | None = None
    """s3:// URI of the model artifact, under artifactPrefix."""
    model_package: int | str | None = None
    """An approved package to serve: a version of the endpoint's group, or a package ARN."""
    shadow: bool | None = None
    """Receive a copy of the traffic instead of a share (default false)."""
    autoscaling: AutoscalingSettings | None = None
    """Scale on invocations per instance."""
    release: Literal["managed", "pinned"] = "pinned"
    """managed: serve what the release record /mlops/<env>/release/<endpoint> says
    (created with this version, written afterwards by the promotion workflow); pinned: this."""
    image_digest: str | None = None
    """managed only, required there: `sha256:...` digest of `image`, seeded into the record."""
    commit: str | None = None
    """managed only, required there: git commit of `image` and `modelData`, seeded likewise."""


class RolloutSettings(Section):
    """`rollout`: how traffic moves to a new version."""

    strategy: Strategy
    """ALL_AT_ONCE, CANARY, LINEAR or ROLLING."""
    step: int | None = None
    """The canary's size, each linear step or rolling batch, in stepUnit."""
    step_unit: StepUnit | None = None
    """CAPACITY_PERCENT (default) or INSTANCE_COUNT."""
    wait_seconds: int | None = None
    """Baking time after each shift (default 300)."""
    termination_wait_seconds: int | None = None
    """How long the old fleet is kept after the last shift (default 0)."""
    maximum_execution_timeout_seconds: int | None = None
    """The rollout's time limit (default 3600)."""


class AlarmSettings(Section):
    """`alarms`: the rollback alarms the component creates per production variant."""

    enabled: bool = True
    """Create the alarms (prod requires them)."""
    server_errors_per_minute: int | None = None
    """5XX errors a minute above which a minute breaches (default 5)."""
    latency_percentile: str | None = None
    """ModelLatency percentile, e.g. p99 (default)."""
    latency_ms: float | None = None
    """Latency at that percentile above which a minute breaches (default 1000)."""
    evaluation_minutes: int | None = None
    """Minutes each alarm looks at (default 3)."""
    breaching_minutes: int | None = None
    """Of those, how many must breach (default 2)."""


class DataCaptureSettings(Section):
    """`dataCapture`: requests and responses captured to the endpoint's encrypted bucket."""

    enabled: bool = True
    """Capture at all."""
    sampling_percentage: int | None = None
    """Share of requests captured, 0-100 (default 20)."""


class EndpointSettings(Section):
    """One entry of `mlops:endpoints`."""

    name: Annotated[str, AfterValidator(_endpoint_name)]
    """The endpoint's name in the stack; resources are named `<environment>-<name>-...`."""
    artifact_prefix: str
    """The s3:// prefix (ending in /) holding the model's artifacts."""
    variants: list[VariantSettings]
    """Production variants and at most one shadow variant."""
    rollout: RolloutSettings | None = None
    """How traffic moves to a new version (default ALL_AT_ONCE; prod refuses it)."""
    alarms: AlarmSettings | None = None
    """The rollback alarms (default on)."""
    extra_rollback_alarms: list[str] | None = None
    """Your own alarms that also roll back."""
    alarm_topic_arn: str | None = None
    """An SNS topic for the alarms instead of the endpoint's own."""
    data_capture: DataCaptureSettings | None = None
    """Data capture (default on at 20 %)."""
    image_repositories: list[str] | None = None
    """ECR repository ARNs of the images inside served model packages."""
    registry_reader_accounts: list[str] | None = None
    """Accounts of the other environments, which may read and serve the model's packages."""
    network_isolation: bool | None = None
    """Models make no network calls of their own (default true; prod keeps it)."""
    log_retention_days: int | None = None
    """Days the container logs are kept (default 365)."""
    drift: DriftSettings | None = None
    """The scheduled drift check of the endpoint's captured traffic (default none)."""


@dataclass(frozen=True)
class EndpointDeclaration:
    """One endpoint of the stack: its name and its args, still to be placed in the network."""

    name: str
    args: ModelEndpointArgs
    managed_variants: tuple[str, ...] = ()
    """Variants whose version comes from their release record (`release: managed`)."""
    first_releases: Mapping[str, FirstRelease] = field(default_factory=dict)
    """Digest and commit of each managed variant's committed first version, by variant name."""
    drift: DriftDetectorArgs | None = None
    """The drift check, its endpoint and capture bucket still placeholders; None: no check."""


def _variant(settings: VariantSettings) -> VariantSpec:
    autoscaling = None
    if settings.autoscaling is not None:
        autoscaling = VariantAutoscalingSpec(**values_of(settings.autoscaling))
    plain = values_of(settings, "autoscaling", "release", "image_digest", "commit")
    return VariantSpec(**plain, autoscaling=autoscaling)


def build(settings: EndpointSettings, context: StackContext) -> EndpointDeclaration:
    """The endpoint's args from the keys that are set, the stack's tags and data protection."""
    alarms: AlarmThresholds | None = AlarmThresholds()
    if settings.alarms is not None:
        enabled = settings.alarms.enabled
        alarms = AlarmThresholds(**values_of(settings.alarms, "enabled")) if enabled else None
    capture: DataCaptureSpec | None = DataCaptureSpec()
    if settings.data_capture is not None:
        enabled = settings.data_capture.enabled
        capture = (
            DataCaptureSpec(**values_of(settings.data_capture, "enabled")) if enabled else None
        )
    rollout = RolloutSpec(**values_of(settings.rollout)) if settings.rollout else RolloutSpec()
    plain = values_of(settings, "name", "variants", "rollout", "alarms", "data_capture", "drift")
    tags = {**context.tags, "Endpoint": settings.name}
    drift: DriftDetectorArgs | None = None
    firsts, problems = first_releases(settings.variants)
    if settings.drift is not None:
        drift, found = build_drift(settings.drift, tags=tags, protect_data=context.protect_data)
        problems += found
        if capture is None:
            problems.append(
                Problem(
                    "data_capture.enabled",
                    False,
                    "the endpoint's drift check reads the captured requests: keep data capture "
                    "on, or remove drift",
                )
            )
    try:
        args = ModelEndpointArgs(
            **plain,
            variants=[_variant(variant) for variant in settings.variants],
            rollout=rollout,
            alarms=alarms,
            data_capture=capture,
            tags=tags,
            protect_data=context.protect_data,
        )
    except ArgsError as error:
        # Prod's own rules still speak, so the fix a message suggests is one prod accepts.
        raise ArgsError(
            error.subject, [*_prod_alarms(alarms, context), *error.problems, *problems]
        ) from None
    if problems:
        raise ArgsError("ModelEndpointArgs", problems)
    managed = tuple(v.name for v in settings.variants if v.release == "managed")
    return EndpointDeclaration(settings.name, args, managed, firsts, drift)


def component_name(environment: str, name: str) -> str:
    """The ModelEndpoint's name for entry `name`: every AWS name of the endpoint starts with it."""
    return f"{environment}-{name}"


def _prod_alarms(alarms: AlarmThresholds | None, context: StackContext) -> list[Problem]:
    if context.environment == "prod" and alarms is None:
        return [Problem("alarms.enabled", False, "prod rolls back on the endpoint's own alarms")]
    return []


def environment_rules(declaration: EndpointDeclaration, context: StackContext) -> list[Problem]:
    """Every AWS name within its limit, and prod's own rule; fields are relative to the entry.

    Prod rolls back on the component's alarms. What the pack enforces (gradual rollouts,
    network isolation, instances per variant) is checked by `infra.pack_rules`, per environment.
    """
    if context.environment is None:
        return []
    args = declaration.args
    problems = check_physical_names(component_name(context.environment, declaration.name), args)
    return problems + _prod_alarms(args.alarms, context)


def list_rules(declarations: Sequence[EndpointDeclaration | None]) -> list[Problem]:
    """Rules across the entries: each endpoint name once. Fields are `[index].key`.

    Entries that are themselves invalid (None) are skipped; their own problems are reported.
    """
    seen: dict[str, int] = {}
    problems = []
    for index, declaration in enumerate(declarations):
        if declaration is None:
            continue
        if declaration.name in seen:
            problems.append(
                Problem(
                    f"[{index}].name",
                    declaration.name,
                    f"endpoint names must be unique in a stack; entry {seen[declaration.name]} has "
                    "it too",
                )
            )
        seen.setdefault(declaration.name, index)
    return problems
