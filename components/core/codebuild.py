"""What a CodeBuild project needs to run its builds inside a VPC's subnets."""

from __future__ import annotations

from typing import Any

import pulumi

from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.placement import Placement


def codebuild_vpc_statements(context: AwsContext, placement: Placement) -> list[dict[str, Any]]:
    """What CodeBuild needs to place a build in `placement`'s subnets.

    The describe and interface calls take no resource ARN; the permission to attach an
    interface is limited to CodeBuild and to those subnets.
    """
    return [
        {
            "Sid": "VpcLookups",
            "Effect": "Allow",
            "Action": [
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeDhcpOptions",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSubnets",
                "ec2:DescribeVpcs",
            ],
            "Resource": "*",
        },
        {
            "Sid": "VpcInterfaces",
            "Effect": "Allow",
            "Action": "ec2:CreateNetworkInterfacePermission",
            "Resource": context.arn("ec2", "network-interface/*"),
            "Condition": {
                "StringEquals": {"ec2:AuthorizedService": "codebuild.amazonaws.com"},
                "ArnEquals": {"ec2:Subnet": _subnet_arns(context, placement)},
            },
        },
    ]


def _subnet_arns(context: AwsContext, placement: Placement) -> pulumi.Output[list[str]]:
    parts = pulumi.Output.all(
        context.partition, context.region, context.account_id, placement.subnet_ids
    )
    return parts.apply(lambda v: [f"arn:{v[0]}:ec2:{v[1]}:{v[2]}:subnet/{i}" for i in v[3]])
