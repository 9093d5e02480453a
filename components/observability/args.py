"""What an environment watches: its alerting subscriptions, endpoints, services and drift checks.

Names that only exist once the program runs (an endpoint's physical name, a cluster's name)
are Inputs; everything the checks need is plain, so the args are complete and valid when built.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi

from mlops_platform.components.core.errors import Problem, raise_if_any
from mlops_platform.components.core.logs import check_retention
from mlops_platform.components.observability.alarms import (
    EndpointAlarmThresholds,
    check_subscriptions,
)
from mlops_platform.components.observability.dashboards import VariantBounds

_KEY = re.compile(r"^[a-z][a-z0-9-]{0,38}[a-z0-9]$")
_SCHEDULE = re.compile(r"^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$")
_S3_URI = re.compile(r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/\S+$")
_SOURCES = ("input", "output")


@dataclass(frozen=True, kw_only=True)
class EndpointWatch:
    """One SageMaker endpoint to put alarms and a dashboard on."""

    key: str
    """A short stable name (the config entry's), which names the children."""
    endpoint_name: pulumi.Input[str]
    """The endpoint's physical name (`ModelEndpoint.endpoint_name`)."""
    variants: tuple[VariantBounds, ...]
    """Production variants with their autoscaling bounds."""
    rollback_alarm_names: pulumi.Input[Sequence[str]] = ()
    """The endpoint's rollback alarms: children of its composite alarm and shown as a widget."""
    drift_features: tuple[str, ...] = ()
    """Features its drift check compares; none hides the drift widgets."""
    gpu: bool = False
    """Whether its instances have GPUs (adds GPU widgets)."""


@dataclass(frozen=True, kw_only=True)
class ServiceWatch:
    """One model service on EKS to put a dashboard on."""

    key: str
    """A short stable name (the service's), which names the children."""
    cluster_name: pulumi.Input[str]
    """The EKS cluster's name (`GpuCluster.cluster_name`)."""
    namespace: str
    service_name: str
    rollout_name: str


@dataclass(frozen=True, kw_only=True)
class ObservabilityArgs:
    """An environment's alerting topic, and what it watches."""

    subscriptions: Sequence[Mapping[str, str]] = ()
    """`{"protocol": "email"|"https"|"sqs", "endpoint": ...}` each; defaults to none (the
    topic's ARN is exported for subscribing later)."""
    endpoints: Sequence[EndpointWatch] = ()
    services: Sequence[ServiceWatch] = ()
    thresholds: EndpointAlarmThresholds = field(default_factory=EndpointAlarmThresholds)
    """When an endpoint counts as unhealthy; defaults to 5 5XX a minute or p99 of 1 s."""
    tags: Mapping[str, str] = field(default_factory=dict)
    protect_data: bool = True
    """Protect the topic's key and keep it on delete."""

    def __post_init__(self) -> None:
        problems = [
            Problem("subscriptions", list(self.subscriptions), reason)
            for reason in check_subscriptions(self.subscriptions)
        ]
        problems += _unique_keys("endpoints", [e.key for e in self.endpoints])
        problems += _unique_keys("services", [s.key for s in self.services])
        for index, endpoint in enumerate(self.endpoints):
            if not endpoint.variants:
                problems.append(
                    Problem(f"endpoints[{index}].variants", [], "at least one production variant")
                )
        raise_if_any("ObservabilityArgs", problems)


def _unique_keys(name: str, keys: list[str]) -> list[Problem]:
    problems = []
    for index, key in enumerate(keys):
        if not _KEY.match(key):
            reason = "2-40 lowercase letters, digits or inner hyphens"
            problems.append(Problem(f"{name}[{index}].key", key, reason))
        elif keys.index(key) != index:
            problems.append(Problem(f"{name}[{index}].key", key, "keys must be unique"))
    return problems


@dataclass(frozen=True, kw_only=True)
class DriftFeature:
    """One feature the drift check compares (`DRIFT_FEATURES` entry of the handler)."""

    name: str
    source: str = "input"
    """`input` (the request) or `output` (the prediction)."""
    column: int | None = None
    """CSV column or JSON list index of the request."""
    key: str | None = None
    """JSON object key of the request or response."""

    def as_env(self) -> dict[str, object]:
        """The handler's JSON form: only the keys that are set."""
        entry: dict[str, object] = {"name": self.name, "source": self.source}
        if self.column is not None:
            entry["column"] = self.column
        if self.key is not None:
            entry["key"] = self.key
        return entry


@dataclass(frozen=True, kw_only=True)
class DriftDetectorArgs:
    """One endpoint's scheduled drift check, and what a detected drift starts."""

    endpoint_name: pulumi.Input[str]
    """The endpoint whose capture is read (`ModelEndpoint.endpoint_name`)."""
    capture_bucket: pulumi.Input[str]
    """The bucket the endpoint's data capture writes to."""
    capture_prefix: str = "data-capture"
    """Key prefix before `<endpoint>/<variant>/yyyy/mm/dd/hh/`."""
    capture_key_arn: pulumi.Input[str] | None = None
    """The KMS key of the capture bucket, which the check may decrypt with."""
    profile_uri: str
    """`s3://bucket/key` of the reference profile written at registration."""
    features: tuple[DriftFeature, ...]
    """The features compared; at least one."""
    schedule: str = "rate(1 hour)"
    """EventBridge Scheduler expression; defaults to hourly."""
    window_minutes: int = 60
    ks_d_threshold: float = 0.1
    ks_alpha: float = 0.01
    psi_band: float = 0.1
    psi_alpha: float = 0.01
    min_rows: int = 100
    log_retention_days: int = 365
    retrain: bool = False
    """Start the training workflow when drift is detected; else only notify."""
    training_state_machine_arn: pulumi.Input[str] | None = None
    """The training workflow to start; required when `retrain` is on."""
    tags: Mapping[str, str] = field(default_factory=dict)
    protect_data: bool = True
    """Protect the reports bucket and the key, and keep them on delete."""

    def __post_init__(self) -> None:
        raise_if_any("DriftDetectorArgs", check_drift(self))


def check_drift(args: DriftDetectorArgs) -> list[Problem]:
    """Every problem with a drift check's settings, in field order."""
    problems: list[Problem] = []
    if not _S3_URI.match(args.profile_uri):
        problems.append(Problem("profile_uri", args.profile_uri, "must be s3://bucket/key"))
    problems += _check_features(args.features)
    problems += _check_numbers(args)
    if args.retrain and args.training_state_machine_arn is None:
        reason = "retrain needs the training workflow's state machine ARN"
        problems.append(Problem("training_state_machine_arn", None, reason))
    return problems


def _check_features(features: tuple[DriftFeature, ...]) -> list[Problem]:
    problems: list[Problem] = []
    if not features:
        problems.append(Problem("features", [], "name at least one feature to compare"))
    names = [f.name for f in features]
    for index, feature in enumerate(features):
        where = f"features[{index}]"
        if names.index(feature.name) != index:
            problems.append(Problem(f"{where}.name", feature.name, "feature names must be unique"))
        if feature.source not in _SOURCES:
            problems.append(Problem(f"{where}.source", feature.source, "must be input or output"))
        if feature.column is not None and feature.key is not None:
            problems.append(Problem(f"{where}.key", feature.key, "give column or key, not both"))
    return problems


def _check_numbers(args: DriftDetectorArgs) -> list[Problem]:
    problems: list[Problem] = []
    if not _SCHEDULE.match(args.schedule):
        reason = "an EventBridge Scheduler expression: rate(<n> <unit>) or cron(...)"
        problems.append(Problem("schedule", args.schedule, reason))
    for name in ("window_minutes", "min_rows"):
        value = getattr(args, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(Problem(name, value, "must be a whole number of at least 1"))
    for name in ("ks_d_threshold", "ks_alpha", "psi_alpha"):
        value = getattr(args, name)
        if not 0 < value < 1:
            problems.append(Problem(name, value, "must be between 0 and 1, exclusive"))
    if args.psi_band <= 0:
        problems.append(Problem("psi_band", args.psi_band, "must be above 0"))
    problems += check_retention("log_retention_days", args.log_retention_days)
    return problems


@dataclass(frozen=True, kw_only=True)
class LambdaCode:
    """A built Lambda package: the archive, its hash, and what it ships."""

    archive: pulumi.Archive
    """The zip, e.g. `pulumi.FileArchive(path)`."""
    sha256: str
    """Base64 SHA-256 of the zip, as Lambda reports `CodeSha256`: a rebuild that changes
    nothing leaves the function alone."""
    ships: tuple[str, ...]
    """What the package contains (`lambdas/drift`, `numpy 2.2.6 cp312 manylinux2014_x86_64`),
    shown in the function's description and so in the plan."""
    handler: str = "lambdas.drift.handler.handler"
    runtime: str = "python3.12"
