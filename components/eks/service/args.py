"""`ModelServiceArgs`: what one model service on the cluster runs, and its checks."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mlops_platform.components.core import registry as _registry
from mlops_platform.components.core import tags as _tags
from mlops_platform.components.core.checks import is_whole_in
from mlops_platform.components.core.docs import documented
from mlops_platform.components.core.errors import Problem, raise_if_any
from mlops_platform.components.eks.cluster.node_groups import ACCELERATORS
from mlops_platform.components.eks.service.canary import (
    DEFAULT_CANARY_STEPS,
    CanaryStep,
    check_canary_steps,
)
from mlops_platform.components.eks.service.specs import (
    AnalysisSpec,
    DisruptionSpec,
    ServiceAutoscalingSpec,
    check_analysis,
    check_autoscaling,
    check_disruption,
)

_SERVICE_NAME = re.compile(r"^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$")
_IMAGE = re.compile(
    r"^(?P<repo>[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+)"
    r"(:(?P<tag>[\w][\w.-]{0,127}))?(@sha256:[a-f0-9]{64})?$"
)
_MODEL_URI = re.compile(
    r"^s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(?P<prefix>[^*?]+?)/?$"
)
_CPU = re.compile(r"^(\d+(\.\d{1,3})?|\d+m)$")
_MEMORY = re.compile(r"^\d+(Ki|Mi|Gi|Ti)$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_GPUS = 8
"""The most GPUs one instance of the allowed families has."""


@documented
@dataclass(frozen=True, kw_only=True)
class ModelServiceArgs:
    """What one model service runs, on which GPUs, and how it scales and rolls out."""

    service_name: str
    """Name of the namespace and of every Kubernetes object; 1-40 lower-case letters, digits, -."""
    image: str
    """The model server's image, pinned by version tag or digest (never `latest`)."""
    model_uri: str
    """The model's S3 prefix (`s3://bucket/model/1.4.2/`); the pods can read this prefix only."""
    accelerator: str
    """The GPU model to run on (`nvidia-a10g`); a GPU node group must provide it."""
    gpus: int = 1
    """GPUs per pod, requested and limited."""
    cpu: str = "2"
    """CPU requested per pod (`2`, `500m`)."""
    memory: str = "8Gi"
    """Memory requested and limited per pod."""
    port: int = 8080
    """The port the server listens on (1024 or above: it runs as a non-root user)."""
    readiness_path: str = "/ready"
    """Answers 200 when the model is loaded and the pod may take traffic."""
    liveness_path: str = "/health"
    """Answers 200 while the server is alive; also the startup probe."""
    startup_timeout_seconds: int = 600
    """How long a pod may take to load its model before it is restarted."""
    run_as_user: int = 10001
    """The non-root user id the server runs as."""
    model_cache_size: str = "20Gi"
    """Size limit of the writable model cache at `/models`."""
    env: Mapping[str, str] = field(default_factory=dict)
    """Extra environment variables; `MODEL_URI` is set by the component."""
    canary_steps: Sequence[CanaryStep] = DEFAULT_CANARY_STEPS
    """Canary steps; defaults to 10 % and 50 %, each paused and analysed."""
    autoscaling: ServiceAutoscalingSpec = field(default_factory=ServiceAutoscalingSpec)
    """Replica range and scaling targets."""
    disruption: DisruptionSpec = field(default_factory=DisruptionSpec)
    """How many pods a node drain may evict at once; defaults to one."""
    analysis: AnalysisSpec = field(default_factory=AnalysisSpec)
    """When a canary fails: success rate and p95 latency thresholds."""
    artifact_kms_key_arn: str | None = None
    """The KMS key of the model bucket, when it is encrypted with one; the role may decrypt
    through S3 only."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags for the IAM role."""

    def __post_init__(self) -> None:
        """Reject every problem at once, before any resource exists."""
        raise_if_any("ModelServiceArgs", check_model_service_args(self))

    @property
    def artifact_location(self) -> tuple[str, str]:
        """The model's bucket and key prefix (without a trailing slash)."""
        match = _MODEL_URI.match(self.model_uri)
        assert match is not None  # checked in __post_init__
        return match.group("bucket"), match.group("prefix")


def check_model_service_args(args: ModelServiceArgs) -> list[Problem]:
    """Every problem with `args`, each naming the field, the value and what is allowed."""
    problems = _check_workload(args)
    problems += check_canary_steps(args.canary_steps)
    problems += check_autoscaling(args.autoscaling)
    problems += check_disruption(args.disruption, args.autoscaling.min_replicas)
    problems += check_analysis(args.analysis)
    problems += _tags.check_tags("tags", args.tags)
    return problems


def _check_workload(args: ModelServiceArgs) -> list[Problem]:
    rules: list[tuple[str, Any, bool, str]] = [
        (
            "service_name",
            args.service_name,
            bool(_SERVICE_NAME.match(args.service_name)),
            "1-40 lower-case letters, digits or -, starting with a letter",
        ),
        (
            "model_uri",
            args.model_uri,
            bool(_MODEL_URI.match(args.model_uri)),
            "an S3 prefix such as s3://models/fraud-scorer/1.4.2/",
        ),
        (
            "accelerator",
            args.accelerator,
            args.accelerator in ACCELERATORS,
            f"one of {', '.join(ACCELERATORS)}",
        ),
        ("gpus", args.gpus, is_whole_in(args.gpus, 1, MAX_GPUS), f"from 1 to {MAX_GPUS}"),
        ("cpu", args.cpu, bool(_CPU.match(args.cpu)), "a CPU quantity such as 2 or 500m"),
        ("memory", args.memory, bool(_MEMORY.match(args.memory)), "a quantity such as 8Gi"),
        (
            "model_cache_size",
            args.model_cache_size,
            bool(_MEMORY.match(args.model_cache_size)),
            "a quantity such as 20Gi",
        ),
        (
            "port",
            args.port,
            is_whole_in(args.port, 1024, 65535),
            "from 1024 to 65535; the server runs as a non-root user",
        ),
        ("readiness_path", args.readiness_path, args.readiness_path.startswith("/"), "a /path"),
        ("liveness_path", args.liveness_path, args.liveness_path.startswith("/"), "a /path"),
        (
            "startup_timeout_seconds",
            args.startup_timeout_seconds,
            is_whole_in(args.startup_timeout_seconds, 10, 3600),
            "from 10 to 3600",
        ),
        (
            "run_as_user",
            args.run_as_user,
            is_whole_in(args.run_as_user, 1, 2**31 - 1),
            "a non-root user id, 1 or more",
        ),
    ]
    problems = [Problem(name, value, reason) for name, value, ok, reason in rules if not ok]
    problems += _check_image(args.image)
    problems += [
        Problem(f"env[{key!r}]", key, "a variable name (letters, digits, _) other than MODEL_URI")
        for key in args.env
        if not _ENV_NAME.match(key) or key == "MODEL_URI"
    ]
    return problems


def _check_image(image: str) -> list[Problem]:
    match = _IMAGE.match(image)
    if match is None:
        return [Problem("image", image, "an image reference such as registry/model-server:1.4.2")]
    if "@sha256:" not in image and match.group("tag") in (None, "latest"):
        return [
            Problem(
                "image",
                image,
                "pin a version tag or a digest; `latest` changes under a running rollout",
            )
        ]
    return []


def check_image_source(image: str, *, region: str) -> list[Problem]:
    """The nodes pull ECR images of their own region only.

    Another account's repository works when its policy grants this account (docs/images.md),
    which the stack cannot see, so only the region is checked.
    """
    return _registry.check_pull_region("image", image, region)
