"""What an endpoint serves: a model per variant, the endpoint configuration, the role's grants."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.core.placement import Placement
from mlops_platform.components.sagemaker import _registry, _stores
from mlops_platform.components.sagemaker import sources as _sources
from mlops_platform.components.sagemaker import variants as _variants
from mlops_platform.components.sagemaker._autoscaling import ignored_instance_counts
from mlops_platform.components.sagemaker._model_role import RoleGrants
from mlops_platform.components.sagemaker.args import ModelEndpointArgs
from mlops_platform.components.sagemaker.variants import VariantSpec


def create_model(
    children: Children,
    variant: VariantSpec,
    *,
    network_isolation: bool,
    placement: Placement,
    context: AwsContext,
    role: aws.iam.Role,
    role_policy: aws.iam.RolePolicy,
    group: aws.sagemaker.ModelPackageGroup,
) -> aws.sagemaker.Model:
    """The variant's model, from an image and an artifact or from a registered package.

    Weights and instance counts live in the endpoint configuration, so changing them leaves
    the model as it is.
    """
    container: dict[str, Any]
    if isinstance(variant.model_package, int):
        arn = _registry.package_arn(context, group.model_package_group_name, variant.model_package)
        container = {"model_package_name": arn}
    elif variant.model_package is not None:
        container = {"model_package_name": variant.model_package}
    else:
        container = {"image": variant.image, "model_data_url": variant.model_data}
    suffix = f"{variant.name}-model"
    return aws.sagemaker.Model(
        children.name(suffix),
        execution_role_arn=role.arn,
        primary_container=cast("aws.sagemaker.ModelPrimaryContainerArgsDict", container),
        enable_network_isolation=network_isolation,
        vpc_config={
            "subnets": cast("Sequence[str]", placement.subnet_ids),
            "security_group_ids": cast("Sequence[str]", placement.security_group_ids),
        },
        tags=children.tagged(suffix, Variant=variant.name),
        opts=_superseded_kept(children, depends_on=[role_policy]),
    )


def create_config(
    children: Children,
    *,
    args: ModelEndpointArgs,
    models: Mapping[str, aws.sagemaker.Model],
    key: aws.kms.Key,
    bucket: aws.s3.Bucket | None,
) -> aws.sagemaker.EndpointConfiguration:
    """The endpoint configuration, encrypted, capturing data when asked.

    Auto-named: every change makes a new one, and the old one stays in AWS (retained on
    delete), so an endpoint SageMaker rolled back still finds it.
    """
    weights = _variants.normalised_weights(args.variants)

    def variant_input(variant: VariantSpec) -> dict[str, Any]:
        return {
            "variant_name": variant.name,
            "model_name": models[variant.name].name,
            "instance_type": variant.instance_type,
            "initial_instance_count": variant.instance_count,
            "initial_variant_weight": weights[variant.name],
        }

    shadows = [variant_input(v) for v in args.variants if v.shadow]
    capture = None
    if bucket is not None and args.data_capture is not None:
        capture = _stores.data_capture_config(
            args.data_capture, destination=_stores.capture_uri(bucket), key_arn=key.arn
        )
    opts = _superseded_kept(children)
    # Autoscaling owns the count of autoscaled variants: see components/sagemaker/_autoscaling.py.
    opts.ignore_changes = ignored_instance_counts(args.variants)
    return aws.sagemaker.EndpointConfiguration(
        children.name("config"),
        production_variants=[
            cast("aws.sagemaker.EndpointConfigurationProductionVariantArgsDict", variant_input(v))
            for v in _variants.production(args.variants)
        ],
        shadow_production_variants=cast(Any, shadows) or None,
        kms_key_arn=key.arn,
        data_capture_config=cast(Any, capture),
        tags=children.tagged("config"),
        opts=opts,
    )


def _superseded_kept(
    children: Children, depends_on: list[pulumi.Resource] | None = None
) -> pulumi.ResourceOptions:
    """Options of models and configurations, which every change replaces.

    The old ones always stay in AWS, whatever `protect_data` says: after a silent auto-rollback
    the endpoint serves the previous configuration, and deleting it would fail the next rollout
    ("Could not find endpoint configuration"). Clean them up once nothing serves them.
    """
    return pulumi.ResourceOptions(
        parent=children.parent, depends_on=depends_on, retain_on_delete=True
    )


def role_grants(
    args: ModelEndpointArgs,
    placement: Placement,
    *,
    context: AwsContext,
    key: aws.kms.Key,
    logs: aws.cloudwatch.LogGroup,
    bucket: aws.s3.Bucket | None,
    endpoint_name: pulumi.Output[str],
) -> RoleGrants:
    """What the models' role may touch: this endpoint's artifacts, images, stores and alarms."""
    location = _sources.split_s3_uri(args.artifact_prefix)
    assert location is not None
    repositories = [
        arn for v in args.variants if v.image and (arn := _sources.repository_arn(v.image))
    ]
    alarm_prefix = pulumi.Output.concat(
        "arn:", context.partition, ":cloudwatch:", context.region, ":", context.account_id,
        ":alarm:",
    )  # fmt: skip
    alarm_arns: list[pulumi.Input[str]] = [pulumi.Output.concat(alarm_prefix, endpoint_name, "-*")]
    alarm_arns += [pulumi.Output.concat(alarm_prefix, name) for name in args.extra_rollback_alarms]
    return RoleGrants(
        artifact_bucket=location[0],
        artifact_key_prefix=location[1],
        repositories=[*repositories, *args.image_repositories],
        key_arn=key.arn,
        log_group_arn=logs.arn,
        alarm_arns=alarm_arns,
        capture_bucket=bucket.bucket if bucket else None,
        subnet_ids=placement.subnet_ids,
        security_group_ids=placement.security_group_ids,
    )
