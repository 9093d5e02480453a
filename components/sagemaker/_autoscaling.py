"""Autoscaling of endpoint variants on invocations per instance.

The bridged provider's endpoint calls UpdateEndpoint without `RetainAllVariantProperties`, so
any new endpoint configuration resets each variant to the configuration's initial instance
count. Two things keep a later `pulumi up` from resetting an autoscaled count:

- the autoscaled variants' `initialInstanceCount` is in the endpoint configuration's
  `ignore_changes` (`ignored_instance_counts`): once the variant exists, Application Auto
  Scaling owns its count, and editing the count in the program neither makes a new endpoint
  configuration nor redeploys the endpoint. Changing the bounds updates the scalable target
  in place, which never redeploys;
- the scalable target and its policy are separate resources that a model rollout leaves in
  place, so the scaler resumes from its bounds right after the rollout.

A rollout of a new model still starts the new fleet at the initial count (SageMaker's own
behaviour without `RetainAllVariantProperties`); `min_capacity` is the floor the scaler
returns to at once, so size it for the traffic a rollout may meet.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core.children import Children
from mlops_platform.components.sagemaker.variants import VariantAutoscalingSpec, VariantSpec

SCALABLE_DIMENSION = "sagemaker:variant:DesiredInstanceCount"
METRIC = "SageMakerVariantInvocationsPerInstance"


def ignored_instance_counts(variants: Sequence[VariantSpec]) -> list[str]:
    """The endpoint configuration's input paths that autoscaling owns, for `ignore_changes`."""
    paths = []
    production_index = shadow_index = 0
    for variant in variants:
        if variant.shadow:
            if variant.autoscaling is not None:
                paths.append(f"shadowProductionVariants[{shadow_index}].initialInstanceCount")
            shadow_index += 1
        else:
            if variant.autoscaling is not None:
                paths.append(f"productionVariants[{production_index}].initialInstanceCount")
            production_index += 1
    return paths


def resource_id(endpoint_name: pulumi.Input[str], variant: str) -> pulumi.Output[str]:
    """How Application Auto Scaling names an endpoint variant."""
    return pulumi.Output.concat("endpoint/", endpoint_name, "/variant/", variant)


def create_autoscaling(
    children: Children,
    *,
    endpoint: aws.sagemaker.Endpoint,
    endpoint_name: pulumi.Input[str],
    variant: str,
    spec: VariantAutoscalingSpec,
) -> aws.appautoscaling.Policy:
    """A scalable target for the variant and a target-tracking policy on invocations.

    The target depends on the endpoint: a variant can only be registered once it exists.
    """
    suffix = f"{variant}-scaling"
    target = aws.appautoscaling.Target(
        children.name(suffix),
        service_namespace="sagemaker",
        scalable_dimension=SCALABLE_DIMENSION,
        resource_id=resource_id(endpoint_name, variant),
        min_capacity=spec.min_capacity,
        max_capacity=spec.max_capacity,
        tags=children.tagged(suffix),
        opts=children.opts(depends_on=[endpoint]),
    )
    return aws.appautoscaling.Policy(
        children.name(f"{variant}-invocations"),
        policy_type="TargetTrackingScaling",
        service_namespace=target.service_namespace,
        scalable_dimension=target.scalable_dimension,
        resource_id=target.resource_id,
        target_tracking_scaling_policy_configuration={
            "target_value": spec.invocations_per_instance,
            "predefined_metric_specification": {"predefined_metric_type": METRIC},
            "scale_in_cooldown": spec.scale_in_cooldown_seconds,
            "scale_out_cooldown": spec.scale_out_cooldown_seconds,
        },
        opts=children.opts(),
    )
