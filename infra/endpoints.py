"""The stack's model endpoints, in the network's private subnets behind one security group."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.model_endpoint import ModelEndpoint
from components.network import Network
from infra.config import StackConfig

HTTPS = 443


def model_security_group(
    stack: StackConfig, network: Network, options: pulumi.ResourceOptions
) -> aws.ec2.SecurityGroup:
    """The security group of every model container's network interface.

    Nothing connects in (callers reach models through the SageMaker runtime, not the VPC), and
    the only way out is HTTPS to the VPC endpoints: the interface endpoints' security group
    (SageMaker, ECR, STS, Logs) and S3's prefix list (the gateway endpoint, which serves image
    layers and model artifacts). HTTPS to the VPC's CIDR alone would not do: S3 behind a
    gateway endpoint answers from S3's public ranges, which only the prefix list names. And the
    endpoints' group is narrower than the CIDR: nothing else in the VPC is reachable.
    """
    name = f"{stack.environment}-model-containers"
    tags = {**stack.tags, "Name": name}
    group = aws.ec2.SecurityGroup(
        name,
        vpc_id=network.vpc_id,
        description="Model containers: HTTPS to the VPC endpoints only",
        tags=tags,
        opts=options,
    )
    child = pulumi.ResourceOptions.merge(options, pulumi.ResourceOptions(parent=group))
    aws.vpc.SecurityGroupEgressRule(
        f"{name}-https-to-endpoints",
        security_group_id=group.id,
        description="HTTPS to the interface endpoints",
        ip_protocol="tcp",
        from_port=HTTPS,
        to_port=HTTPS,
        referenced_security_group_id=network.endpoint_security_group_id,
        tags={**tags, "Name": f"{name}-https-to-endpoints"},
        opts=child,
    )
    s3 = aws.ec2.get_prefix_list_output(
        name=f"com.amazonaws.{stack.region}.s3", opts=pulumi.InvokeOptions(parent=group)
    )
    aws.vpc.SecurityGroupEgressRule(
        f"{name}-https-to-s3",
        security_group_id=group.id,
        description="HTTPS to S3 through the gateway endpoint",
        ip_protocol="tcp",
        from_port=HTTPS,
        to_port=HTTPS,
        prefix_list_id=s3.id,
        tags={**tags, "Name": f"{name}-https-to-s3"},
        opts=child,
    )
    return group


def create_endpoints(
    stack: StackConfig, network: Network, options: pulumi.ResourceOptions
) -> dict[str, ModelEndpoint]:
    """One `ModelEndpoint` per entry of `mlops:endpoints`, by entry name; none without entries."""
    if not stack.endpoints:
        return {}
    group = model_security_group(stack, network, options)
    return {
        declaration.name: ModelEndpoint(
            f"{stack.environment}-{declaration.name}",
            declaration.args.placed_in(network.private_subnet_ids, [group.id]),
            options,
        )
        for declaration in stack.endpoints
    }


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
