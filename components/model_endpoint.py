"""A SageMaker endpoint that rolls new model versions out blue-green and back on alarms."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from mlops_platform.components import (
    _alarms,
    _hosting,
    _kms,
    _registry,
    _sources,
    _stores,
    _tags,
    _traffic,
    _variants,
)
from mlops_platform.components._alarms import AlarmThresholds
from mlops_platform.components._autoscaling import create_autoscaling
from mlops_platform.components._aws import AwsContext
from mlops_platform.components._children import Children
from mlops_platform.components._logs import check_retention
from mlops_platform.components._model_role import create_role
from mlops_platform.components._stores import DataCaptureSpec
from mlops_platform.components._traffic import RolloutSpec
from mlops_platform.components._variants import VariantSpec
from mlops_platform.components.errors import Problem, raise_if_any

TYPE = "mlops:sagemaker:ModelEndpoint"
MAX_ALARM_NAME = 255
_PHYSICAL = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, kw_only=True)
class ModelEndpointArgs:
    """What one SageMaker endpoint serves, where it runs and how it rolls out and back."""

    variants: Sequence[VariantSpec]
    """Production variants (A/B by weight) and at most one shadow variant."""
    artifact_prefix: str
    """The `s3://bucket/prefix/` holding this model's artifacts; the role reads nothing else."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Private subnets the models run in. Required: the component refuses to build without
    them (set them here or with `placed_in`)."""
    security_group_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Security groups of the models' network interfaces. Required, like `subnet_ids`."""
    rollout: RolloutSpec = field(default_factory=RolloutSpec)
    """How traffic moves to a new version. Defaults to ALL_AT_ONCE, which prod config rejects."""
    alarms: AlarmThresholds | None = field(default_factory=AlarmThresholds)
    """Server-error and latency alarms per production variant, which roll a rollout back.
    On by default; None turns them off (prod config refuses)."""
    extra_rollback_alarms: Sequence[str] = ()
    """Names of your own CloudWatch alarms that also roll a rollout back (10 alarms in all)."""
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
    """Protect the key, bucket, log group and registry, keep them on delete, and keep
    superseded models and endpoint configurations (so a rollback never points at nothing)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags for every taggable child, on top of each child's `Name`."""

    def __post_init__(self) -> None:
        """Reject every problem at once, before any resource exists."""
        raise_if_any("ModelEndpointArgs", check_model_endpoint_args(self))

    def placed_in(
        self,
        subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
        security_group_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
    ) -> ModelEndpointArgs:
        """These args, running in the given subnets and security groups."""
        return replace(self, subnet_ids=subnet_ids, security_group_ids=security_group_ids)


def check_model_endpoint_args(args: ModelEndpointArgs) -> list[Problem]:
    """Every problem with `args`, each naming the field, the value and what is allowed."""
    variants = list(args.variants)
    problems = _variants.check_variants(variants)
    problems += _sources.check_sources(variants, args.artifact_prefix, args.image_repositories)
    generated = 0
    if args.alarms is not None:
        problems += _alarms.check_thresholds(args.alarms)
        generated = 2 * len(_variants.production(variants))
    problems += _check_extra_alarms(args.extra_rollback_alarms)
    problems += _alarms.check_alarm_count(generated, args.extra_rollback_alarms)
    problems += _traffic.check_rollout(
        args.rollout,
        _variants.capacities(variants),
        rollback_alarms=generated + len(args.extra_rollback_alarms),
        variant_count=len(variants),
    )
    problems += _check_inferentia(args)
    if args.data_capture is not None:
        problems += _stores.check_capture(args.data_capture)
    problems += _registry.check_readers(args.registry_reader_accounts)
    problems += check_retention("log_retention_days", args.log_retention_days)
    for name in ("subnet_ids", "security_group_ids"):
        value = getattr(args, name)
        if isinstance(value, list | tuple) and not value:
            problems.append(Problem(name, list(value), "at least one"))
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


def physical_prefix(name: str) -> str:
    """The start of the endpoint's AWS names, from the component's name.

    Lowercase letters, digits and hyphens, short enough that a random suffix keeps the name
    within AWS's 63 characters.
    """
    return _PHYSICAL.sub("-", name.lower()).strip("-")[:40].strip("-") or "endpoint"


class ModelEndpoint(pulumi.ComponentResource):
    """A SageMaker endpoint in private subnets with blue-green rollouts and auto-rollback.

    Each variant's model runs with network isolation under a least-privilege role; the endpoint
    configuration is auto-named and KMS-encrypted; every store uses the endpoint's key.
    """

    endpoint_name: pulumi.Output[str]
    """The endpoint's name, for callers and dashboards."""
    endpoint_arn: pulumi.Output[str]
    """The endpoint's ARN, for IAM policies of its callers."""
    endpoint_config_name: pulumi.Output[str]
    """The endpoint configuration the stack expects to be live; after a rollout, compare it
    with the live endpoint's (a rollback leaves the previous one live)."""
    model_names: pulumi.Output[dict[str, str]]
    """Each variant's SageMaker model, by variant name."""
    rollback_alarm_names: pulumi.Output[list[str]]
    """Every alarm that rolls a rollout back: the component's and the extra ones."""
    alarm_topic_arn: pulumi.Output[str]
    """The topic the alarms notify; subscribe your on-call to it."""
    key_arn: pulumi.Output[str]
    """The KMS key of the endpoint's data."""
    role_arn: pulumi.Output[str]
    """The models' execution role."""
    log_group_name: pulumi.Output[str]
    """Where the models' container logs go."""
    capture_s3_uri: pulumi.Output[str] | None
    """Where captured requests and responses go; None when capture is off."""
    model_package_group_name: pulumi.Output[str]
    """The model's registry: register and approve versions here."""

    def __init__(
        self, name: str, args: ModelEndpointArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        """Create the endpoint; `opts` (providers, protect) reach every child."""
        raise_if_any("ModelEndpointArgs", _missing_placement(args))
        super().__init__(TYPE, name, None, opts)
        children = Children(name, self, args.tags, args.protect_data)
        context = AwsContext.of(self)
        # The AWS name is known before the endpoint exists: the alarms are named from it and
        # created first, so the endpoint's rollback configuration can name them.
        suffix = random.RandomString(
            children.name("suffix"), length=8, special=False, upper=False, opts=children.opts()
        )
        physical = pulumi.Output.concat(physical_prefix(name), "-", suffix.result)
        key, logs, bucket = _create_stores(children, context, args, physical)
        group = _registry.create_registry(
            children, context, group_name=physical, readers=args.registry_reader_accounts
        )
        topic_arn, rollback = _create_alarms(children, context, args, key, physical)
        role, role_policy = create_role(
            children,
            context,
            _hosting.role_grants(
                args, context=context, key=key, logs=logs, bucket=bucket, endpoint_name=physical
            ),
        )
        models = {
            v.name: _hosting.create_model(
                children, v, args=args, context=context, role=role, role_policy=role_policy,
                group=group,
            )
            for v in args.variants
        }  # fmt: skip
        config = _hosting.create_config(children, args=args, models=models, key=key, bucket=bucket)
        endpoint = aws.sagemaker.Endpoint(
            children.name("endpoint"),
            name=physical,
            endpoint_config_name=config.name,
            deployment_config=cast(
                "aws.sagemaker.EndpointDeploymentConfigArgsDict",
                _traffic.deployment_config(args.rollout, rollback),
            ),
            tags=children.tagged("endpoint"),
            opts=children.opts(depends_on=[logs]),  # SageMaker finds the encrypted group
        )
        for variant in args.variants:
            if variant.autoscaling is not None:
                create_autoscaling(
                    children, endpoint=endpoint, endpoint_name=physical, variant=variant.name,
                    spec=variant.autoscaling,
                )  # fmt: skip
        self.endpoint_name = endpoint.name
        self.endpoint_arn = endpoint.arn
        self.endpoint_config_name = config.name
        self.model_names = pulumi.Output.all(**{v: model.name for v, model in models.items()})
        self.rollback_alarm_names = pulumi.Output.all(*rollback)
        self.alarm_topic_arn = pulumi.Output.from_input(topic_arn)
        self.key_arn = key.arn
        self.role_arn = role.arn
        self.log_group_name = logs.name
        self.capture_s3_uri = _stores.capture_uri(bucket) if bucket else None
        self.model_package_group_name = group.model_package_group_name
        self.register_outputs({output: getattr(self, output) for output in OUTPUTS})


OUTPUTS = (
    "endpoint_name",
    "endpoint_arn",
    "endpoint_config_name",
    "model_names",
    "rollback_alarm_names",
    "alarm_topic_arn",
    "key_arn",
    "role_arn",
    "log_group_name",
    "capture_s3_uri",
    "model_package_group_name",
)
"""The outputs every ModelEndpoint registers, in the order of its annotations."""


def _create_stores(
    children: Children, context: AwsContext, args: ModelEndpointArgs, physical: pulumi.Output[str]
) -> tuple[aws.kms.Key, aws.cloudwatch.LogGroup, aws.s3.Bucket | None]:
    """The key, the log group and (when capture is on) the capture bucket."""
    grants = [
        _kms.logs_may_use_key(
            context,
            sid="CloudWatchLogsEncryptsEndpointLogs",
            log_group=_stores.log_group_name(physical),
        )
    ]
    if args.alarm_topic_arn is None:
        grants.append(_alarms.cloudwatch_may_use_key())
    key = _stores.create_key(children, context, *grants)
    logs = _stores.create_log_group(
        children, endpoint_name=physical, key=key, retention_days=args.log_retention_days
    )
    bucket = _stores.create_capture_bucket(children, key) if args.data_capture else None
    return key, logs, bucket


def _create_alarms(
    children: Children,
    context: AwsContext,
    args: ModelEndpointArgs,
    key: aws.kms.Key,
    physical: pulumi.Output[str],
) -> tuple[pulumi.Input[str], list[pulumi.Input[str]]]:
    """The topic the alarms notify, and the names of every alarm a rollout rolls back on."""
    serving = [v.name for v in _variants.production(args.variants)]
    definitions = _alarms.alarm_set(serving, args.alarms) if args.alarms else []
    topic_arn = (
        args.alarm_topic_arn
        or _alarms.create_topic(children, context, key=key, alarm_prefix=physical).arn
    )
    alarms = _alarms.create_alarms(
        children, definitions, endpoint_name=physical, topic_arn=topic_arn
    )
    return topic_arn, [*(alarm.name for alarm in alarms), *args.extra_rollback_alarms]


def _missing_placement(args: ModelEndpointArgs) -> list[Problem]:
    return [
        Problem(name, None, "required: endpoints run in the VPC's private subnets")
        for name in ("subnet_ids", "security_group_ids")
        if getattr(args, name) is None
    ]
