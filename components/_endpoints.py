"""Private paths to AWS services: an S3 gateway endpoint and interface endpoints."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from components._aws import AwsContext
from components._children import Children

HTTPS = 443


def create_endpoints(
    children: Children,
    *,
    vpc: aws.ec2.Vpc,
    context: AwsContext,
    services: Sequence[str],
    private: list[aws.ec2.Subnet],
    private_tables: list[aws.ec2.RouteTable],
) -> aws.ec2.SecurityGroup:
    """S3 through a gateway endpoint, `services` through interface endpoints in `private`.

    Returns the interface endpoints' security group, which admits HTTPS from the VPC and
    nothing else, and has no egress rules (endpoints answer; they never connect out).
    """
    service_prefix = pulumi.Output.concat("com.amazonaws.", context.region, ".")
    aws.ec2.VpcEndpoint(
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
    return group
