"""The stack's model endpoints, in the network's private subnets, reaching AWS through endpoints."""

from __future__ import annotations

import dataclasses

import pulumi

from infra.config import StackConfig
from infra.schema.endpoints import component_name
from mlops_platform.components.network import Network
from mlops_platform.components.sagemaker import ModelEndpoint, ModelEndpointArgs


def create_endpoints(
    stack: StackConfig, network: Network, options: pulumi.ResourceOptions
) -> dict[str, ModelEndpoint]:
    """One `ModelEndpoint` per entry of `mlops:endpoints`, by entry name; none without entries."""
    if not stack.endpoints:
        return {}
    placement = network.placement()
    return {
        declaration.name: ModelEndpoint(
            component_name(stack.environment, declaration.name),
            _as_target(declaration.args, stack.environment, declaration.name),
            placement,
            options,
        )
        for declaration in stack.endpoints
    }


def _as_target(args: ModelEndpointArgs, environment: str, target: str) -> ModelEndpointArgs:
    """Tag the endpoint (its alarms above all) as workflow target `target` of `environment`.

    The alarm watcher finds the promotion an alarm belongs to by these two tags.
    """
    tags = {**args.tags, "mlops:env": environment, "mlops:target": target}
    return dataclasses.replace(args, tags=tags)


def endpoint_outputs(endpoints: dict[str, ModelEndpoint]) -> dict[str, dict[str, object]]:
    """What operators need of each endpoint: its names, its registry and its rollback alarms.

    After a rollout, compare `endpointConfigName` with the live endpoint's: SageMaker rolls back
    without failing the update, leaving the previous configuration live.
    """
    return {
        name: {
            "endpointName": endpoint.endpoint_name,
            "endpointConfigName": endpoint.endpoint_config_name,
            "modelPackageGroup": endpoint.model_package_group_name,
            "rollbackAlarms": endpoint.rollback_alarm_names,
            "alarmTopicArn": endpoint.alarm_topic_arn,
            "captureS3Uri": endpoint.capture_s3_uri,
        }
        for name, endpoint in endpoints.items()
    }
