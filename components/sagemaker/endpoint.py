"""A SageMaker endpoint that rolls new model versions out blue-green and back on alarms."""

from __future__ import annotations

from typing import cast

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from mlops_platform.components.core import kms as _kms
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children, register_outputs
from mlops_platform.components.core.errors import raise_if_any
from mlops_platform.components.core.placement import Placement
from mlops_platform.components.sagemaker import _alarms, _hosting, _registry, _stores, alarm_rules
from mlops_platform.components.sagemaker import rollout as _traffic
from mlops_platform.components.sagemaker import variants as _variants
from mlops_platform.components.sagemaker._autoscaling import create_autoscaling
from mlops_platform.components.sagemaker._model_role import create_role
from mlops_platform.components.sagemaker.args import (
    ModelEndpointArgs,
    check_physical_names,
    physical_prefix,
)

TYPE = "mlops:sagemaker:ModelEndpoint"


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
        self,
        name: str,
        args: ModelEndpointArgs,
        placement: Placement,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Create the endpoint in `placement` (`Network.placement()`); `opts` reach every child.

        Raises `ArgsError` before registering anything when a name AWS would refuse follows
        from `name` and the variants.
        """
        raise_if_any("ModelEndpoint", check_physical_names(name, args))
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
                args,
                placement,
                context=context,
                key=key,
                logs=logs,
                bucket=bucket,
                endpoint_name=physical,
            ),
        )
        models = {
            v.name: _hosting.create_model(
                children, v, network_isolation=args.network_isolation, placement=placement,
                context=context, role=role, role_policy=role_policy, group=group,
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
        register_outputs(self, OUTPUTS)


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
    definitions = alarm_rules.alarm_set(serving, args.alarms) if args.alarms else []
    topic_arn = (
        args.alarm_topic_arn
        or _alarms.create_topic(children, context, key=key, alarm_prefix=physical).arn
    )
    alarms = _alarms.create_alarms(
        children, definitions, endpoint_name=physical, topic_arn=topic_arn
    )
    return topic_arn, [*(alarm.name for alarm in alarms), *args.extra_rollback_alarms]
