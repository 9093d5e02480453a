"""Private paths to AWS services: S3 gateway and interface endpoints, and who may use them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.checks import HTTPS
from mlops_platform.components.core.children import Children


@dataclass(frozen=True)
class EndpointGroups:
    """The security groups on either side of the endpoints."""

    endpoints: aws.ec2.SecurityGroup
    """The interface endpoints' group: HTTPS in from the VPC, nothing out."""
    workloads: aws.ec2.SecurityGroup
    """For workloads that may reach AWS only through the endpoints: nothing in, HTTPS out to
    the interface endpoints and to S3 through the gateway endpoint."""


def create_endpoints(
    children: Children,
    *,
    vpc: aws.ec2.Vpc,
    context: AwsContext,
    services: Sequence[str],
    private: list[aws.ec2.Subnet],
    private_tables: list[aws.ec2.RouteTable],
) -> EndpointGroups:
    """S3 through a gateway endpoint, `services` through interface endpoints in `private`.

    The interface endpoints' security group admits HTTPS from the VPC and nothing else, and
    has no egress rules (endpoints answer; they never connect out).
    """
    service_prefix = pulumi.Output.concat("com.amazonaws.", context.region, ".")
    s3 = aws.ec2.VpcEndpoint(
        children.name("s3-endpoint"),
        vpc_id=vpc.id,
        vpc_endpoint_type="Gateway",
        service_name=pulumi.Output.concat(service_prefix, "s3"),
        route_table_ids=[table.id for table in private_tables],
        tags=children.tagged("s3-endpoint"),
        opts=children.opts(),
    )
    group = aws.ec2.SecurityGroup(
        children.name("endpoints-sg"),
        vpc_id=vpc.id,
        description="Interface endpoints: HTTPS from inside the VPC only",
        tags=children.tagged("endpoints-sg"),
        opts=children.opts(),
    )
    aws.vpc.SecurityGroupIngressRule(
        children.name("endpoints-https-from-vpc"),
        security_group_id=group.id,
        description="HTTPS from inside the VPC",
        ip_protocol="tcp",
        from_port=HTTPS,
        to_port=HTTPS,
        cidr_ipv4=vpc.cidr_block,
        tags=children.tagged("endpoints-https-from-vpc"),
        opts=children.opts(),
    )
    for service in services:
        suffix = f"{service.replace('.', '-')}-endpoint"
        aws.ec2.VpcEndpoint(
            children.name(suffix),
            vpc_id=vpc.id,
            vpc_endpoint_type="Interface",
            service_name=pulumi.Output.concat(service_prefix, service),
            private_dns_enabled=True,
            subnet_ids=[subnet.id for subnet in private],
            security_group_ids=[group.id],
            tags=children.tagged(suffix),
            opts=children.opts(),
        )
    return EndpointGroups(group, _workload_group(children, vpc, group, s3))


def _workload_group(
    children: Children,
    vpc: aws.ec2.Vpc,
    endpoints: aws.ec2.SecurityGroup,
    s3: aws.ec2.VpcEndpoint,
) -> aws.ec2.SecurityGroup:
    """A group whose only way out is HTTPS to the endpoints (model containers use it).

    HTTPS to the VPC's CIDR would not do: S3 behind a gateway endpoint answers from S3's public
    ranges, which only the endpoint's prefix list names. And the endpoints' group is narrower
    than the CIDR: nothing else in the VPC is reachable.
    """
    group = aws.ec2.SecurityGroup(
        children.name("workloads-sg"),
        vpc_id=vpc.id,
        description="Workloads: HTTPS to the VPC endpoints only, nothing in",
        tags=children.tagged("workloads-sg"),
        opts=children.opts(),
    )
    destinations: dict[str, dict[str, pulumi.Input[str]]] = {
        "workloads-https-to-endpoints": {"referenced_security_group_id": endpoints.id},
        "workloads-https-to-s3": {"prefix_list_id": s3.prefix_list_id},
    }
    for suffix, destination in destinations.items():
        aws.vpc.SecurityGroupEgressRule(
            children.name(suffix),
            security_group_id=group.id,
            description=f"HTTPS to {'S3' if 's3' in suffix else 'the interface endpoints'}",
            ip_protocol="tcp",
            from_port=HTTPS,
            to_port=HTTPS,
            tags=children.tagged(suffix),
            opts=children.opts(),
            **destination,
        )
    return group
