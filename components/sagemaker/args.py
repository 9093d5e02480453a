"""`ModelEndpointArgs`: what one SageMaker endpoint serves and how it rolls out, and its checks."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi

from mlops_platform.components.core import registry as _registry
from mlops_platform.components.core import tags as _tags
from mlops_platform.components.core.checks import repeated
from mlops_platform.components.core.docs import documented
from mlops_platform.components.core.errors import Problem, raise_if_any
from mlops_platform.components.core.logs import check_retention
from mlops_platform.components.sagemaker import alarm_rules, capture, names
from mlops_platform.components.sagemaker import rollout as _traffic
from mlops_platform.components.sagemaker import sources as _sources
from mlops_platform.components.sagemaker import variants as _variants
from mlops_platform.components.sagemaker.alarm_rules import AlarmThresholds
from mlops_platform.components.sagemaker.capture import DataCaptureSpec
from mlops_platform.components.sagemaker.rollout import RolloutSpec
from mlops_platform.components.sagemaker.variants import VariantSpec

MAX_ALARM_NAME = 255
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_PHYSICAL = re.compile(r"[^a-z0-9]+")


@documented
@dataclass(frozen=True, kw_only=True)
class ModelEndpointArgs:
    """What one SageMaker endpoint serves, where it runs and how it rolls out and back."""

    variants: Sequence[VariantSpec]
    """Production variants (A/B by weight) and at most one shadow variant."""
    artifact_prefix: str
    """The `s3://bucket/prefix/` holding this model's artifacts; the role reads nothing else."""
    rollout: RolloutSpec = field(default_factory=RolloutSpec)
    """How traffic moves to a new version. Defaults to ALL_AT_ONCE, which prod config rejects."""
    alarms: AlarmThresholds | None = field(default_factory=AlarmThresholds)
    """Two endpoint-level alarms (server errors, latency) over every production variant,
    which roll a rollout back. On by default; None turns them off (prod config refuses).
    Switching them on or off changes the endpoint's rollback configuration, which replaces
    the endpoint: decide once, before the endpoint serves."""
    extra_rollback_alarms: Sequence[str] = ()
    """Names of your own CloudWatch alarms that also roll a rollout back (10 alarms in all).
    A stable value: editing the list replaces the endpoint (the provider forces it)."""
    alarm_topic_arn: pulumi.Input[str] | None = None
    """The SNS topic every alarm notifies; None creates one encrypted with the endpoint's key."""
    data_capture: DataCaptureSpec | None = field(default_factory=DataCaptureSpec)
    """Capture requests and responses to an encrypted bucket; None turns capture off."""
    image_repositories: Sequence[str] = ()
    """ECR repository ARNs the role may pull from besides the variants' images: list the
    repositories of the images inside served model packages."""
    registry_reader_accounts: Sequence[str] = ()
    """Accounts of the other environments, which may read and serve the model's packages."""
    network_isolation: bool = True
    """Models cannot make network calls of their own; on by default (prod config keeps it)."""
    log_retention_days: int = 365
    """How long the endpoint's container logs are kept."""
    protect_data: bool = True
    """Protect the key, bucket, log group and registry and keep them on delete. Superseded
    models and endpoint configurations are kept on delete whatever this says, so an endpoint
    SageMaker rolled back never points at nothing."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags for every taggable child, on top of each child's `Name`."""

    def __post_init__(self) -> None:
        """Reject every problem at once, before any resource exists."""
        raise_if_any("ModelEndpointArgs", check_model_endpoint_args(self))


def check_model_endpoint_args(args: ModelEndpointArgs) -> list[Problem]:
    """Every problem with `args`, each naming the field, the value and what is allowed."""
    variants = list(args.variants)
    problems = _variants.check_variants(variants)
    problems += _sources.check_sources(variants, args.artifact_prefix, args.image_repositories)
    generated = 0
    if args.alarms is not None:
        problems += alarm_rules.check_thresholds(args.alarms)
        generated = len(alarm_rules.ALARM_PURPOSES)
    problems += _check_extra_alarms(args.extra_rollback_alarms)
    problems += repeated("extra_rollback_alarms", list(args.extra_rollback_alarms), "alarm names")
    problems += alarm_rules.check_alarm_count(generated, args.extra_rollback_alarms)
    problems += _traffic.check_rollout(
        args.rollout,
        _variants.capacities(variants),
        rollback_alarms=generated + len(args.extra_rollback_alarms),
        variant_count=len(variants),
    )
    problems += _check_inferentia(args)
    if args.data_capture is not None:
        problems += capture.check_capture(args.data_capture)
    problems += check_readers(args.registry_reader_accounts)
    problems += check_retention("log_retention_days", args.log_retention_days)
    return problems + _tags.check_tags("tags", args.tags)


def _check_extra_alarms(names: Sequence[str]) -> list[Problem]:
    return [
        Problem(
            f"extra_rollback_alarms[{index}]", name, f"an alarm name of 1-{MAX_ALARM_NAME} chars"
        )
        for index, name in enumerate(names)
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= MAX_ALARM_NAME
    ]


def _check_inferentia(args: ModelEndpointArgs) -> list[Problem]:
    """SageMaker ignores traffic shifting on Inf1 instances and shifts all at once, silently."""
    if args.rollout.strategy == "ALL_AT_ONCE":
        return []
    return [
        Problem(
            f"variants[{index}].instance_type",
            variant.instance_type,
            f"SageMaker cannot shift traffic gradually on Inf1 instances and would silently "
            f"replace the {args.rollout.strategy} rollout with ALL_AT_ONCE; use ALL_AT_ONCE",
        )
        for index, variant in enumerate(args.variants)
        if isinstance(variant.instance_type, str) and variant.instance_type.startswith("ml.inf1.")
    ]


def check_physical_names(name: str, args: ModelEndpointArgs) -> list[Problem]:
    """Every AWS name the component `name` would produce from `args` that AWS would refuse.

    Fields are `name` (the component's name decides it) or `variants[i].name`.
    """
    produced = names.physical_names(
        name,
        physical_prefix(name),
        [v.name for v in args.variants],
        capture=args.data_capture is not None,
        own_topic=args.alarm_topic_arn is None,
        alarm_purposes=alarm_rules.ALARM_PURPOSES if args.alarms is not None else (),
    )
    return names.check_names(produced)


def physical_prefix(name: str) -> str:
    """The start of the endpoint's AWS names, from the component's name.

    Lowercase letters, digits and hyphens, short enough that a random suffix keeps the name
    within AWS's 63 characters.
    """
    return _PHYSICAL.sub("-", name.lower()).strip("-")[:40].strip("-") or "endpoint"


def check_readers(accounts: Sequence[str]) -> list[Problem]:
    """Reader accounts are 12-digit account ids, each named once."""
    problems = [
        Problem(f"registry_reader_accounts[{index}]", account, "a 12-digit AWS account id")
        for index, account in enumerate(accounts)
        if not isinstance(account, str) or not _ACCOUNT_ID.match(account)
    ]
    if len(set(accounts)) != len(accounts):
        problems.append(
            Problem("registry_reader_accounts", list(accounts), "each account may appear once")
        )
    return problems


def check_image_sources(
    images: Sequence[str | None],
    image_repositories: Sequence[str],
    *,
    region: str,
    account: str | None,
) -> list[Problem]:
    """Images the endpoint's model role can pull: ECR of `region`, in `account` or listed.

    An image of another account is served when its repository is listed under
    `image_repositories` (the role may then read it) and that repository's policy lets
    `account` pull (docs/images.md). `images` are the variants' images, in order.
    """
    problems: list[Problem] = []
    for index, image in enumerate(images):
        field_name = f"variants[{index}].image"
        problems += _registry.check_pull_region(field_name, image, region)
        parts = _registry.ecr_parts(image) if image else None
        if parts is None or account is None or parts[0] == account or parts[1] != region:
            continue
        arn = f"arn:{_registry.partition(region)}:ecr:{region}:{parts[0]}:repository/{parts[2]}"
        if arn not in image_repositories:
            problems.append(
                Problem(
                    field_name,
                    image,
                    f"an image of account {account}'s registry, or list {arn} under "
                    f"image_repositories and let {account} pull it in that repository's "
                    "policy (docs/images.md)",
                )
            )
    return problems
