"""What a CodeBuild project needs to run its builds inside a VPC's subnets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi

from mlops_platform.components.core.aws import AwsContext


def codebuild_vpc_statements(
    context: AwsContext, subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
) -> list[dict[str, Any]]:
    """What CodeBuild needs to place a build in the subnets `subnet_ids`.

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
                "ArnEquals": {"ec2:Subnet": _subnet_arns(context, subnet_ids)},
            },
        },
    ]


def _subnet_arns(
    context: AwsContext, subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
) -> pulumi.Output[list[str]]:
    parts = pulumi.Output.all(context.partition, context.region, context.account_id, subnet_ids)
    return parts.apply(lambda v: [f"arn:{v[0]}:ec2:{v[1]}:{v[2]}:subnet/{i}" for i in v[3]])
