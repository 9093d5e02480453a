"""The role SageMaker assumes to host an endpoint's models, with what they need and no more."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children

ECR_PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
VPC_DESCRIBE = [
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
]
"""What SageMaker reads to place the model's network interfaces; AWS offers no narrower
resource for these actions."""
VPC_INTERFACES = [
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
]


@dataclass(frozen=True)
class RoleGrants:
    """What the endpoint's models may touch; every field is this endpoint's own."""

    artifact_bucket: str
    artifact_key_prefix: str
    """The model's artifacts are read from `<bucket>/<prefix>*` only."""
    repositories: Sequence[str]
    """ECR repository ARNs the images are pulled from."""
    key_arn: pulumi.Input[str]
    log_group_arn: pulumi.Input[str]
    alarm_arns: Sequence[pulumi.Input[str]]
    """The rollback alarms, which SageMaker reads during a rollout."""
    capture_bucket: pulumi.Input[str] | None
    """Where captured data is written; None when capture is off."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    security_group_ids: pulumi.Input[Sequence[pulumi.Input[str]]]


def statements(context: AwsContext, grants: RoleGrants) -> list[dict[str, Any]]:
    """The role's policy statements, each with a Sid naming what it is for."""
    s3 = pulumi.Output.concat("arn:", context.partition, ":s3:::")
    found = [
        _allow(
            "ReadOwnArtifacts",
            ["s3:GetObject"],
            pulumi.Output.concat(s3, grants.artifact_bucket, "/", grants.artifact_key_prefix, "*"),
        ),
        _allow("PullOwnImages", ECR_PULL, sorted(set(grants.repositories))),
        # GetAuthorizationToken has no resource-level permissions in AWS: "*" is the only form.
        _allow("AuthorizeImagePulls", ["ecr:GetAuthorizationToken"], "*"),
        _allow(
            "WriteOwnLogs",
            [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:DescribeLogStreams",
                "logs:PutLogEvents",
            ],
            [grants.log_group_arn, pulumi.Output.concat(grants.log_group_arn, ":*")],
        ),
        _allow("UseEndpointKey", ["kms:Decrypt", "kms:GenerateDataKey"], grants.key_arn),
        _allow("ReadRollbackAlarms", ["cloudwatch:DescribeAlarms"], list(grants.alarm_arns)),
        _allow("DescribeVpcPlacement", VPC_DESCRIBE, "*"),
        _allow("ManageOwnNetworkInterfaces", VPC_INTERFACES, _interface_arns(context, grants)),
    ]
    if grants.capture_bucket is not None:
        found.append(
            _allow(
                "WriteOwnDataCapture",
                ["s3:PutObject"],
                pulumi.Output.concat(s3, grants.capture_bucket, "/data-capture/*"),
            )
        )
    return [statement for statement in found if statement["Resource"] != []]


def _allow(sid: str, actions: list[str], resource: Any) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resource}


def _interface_arns(context: AwsContext, grants: RoleGrants) -> pulumi.Output[list[str]]:
    """Network interfaces of this account and region, in the given subnets and groups only."""

    def arns(values: list[Any]) -> list[str]:
        partition, region, account, subnets, groups = values
        prefix = f"arn:{partition}:ec2:{region}:{account}:"
        return [
            f"{prefix}network-interface/*",
            *(f"{prefix}subnet/{subnet}" for subnet in subnets),
            *(f"{prefix}security-group/{group}" for group in groups),
        ]

    return pulumi.Output.all(
        context.partition,
        context.region,
        context.account_id,
        pulumi.Output.from_input(grants.subnet_ids),
        pulumi.Output.from_input(grants.security_group_ids),
    ).apply(arns)


def create_role(
    children: Children, context: AwsContext, grants: RoleGrants
) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
    """The execution role every model of the endpoint runs with, and its policy.

    Models depend on the policy as well as the role: SageMaker checks what the role may do
    when it creates them.
    """
    role = aws.iam.Role(
        children.name("role"),
        description=f"Hosts the models of the endpoint {children.prefix}",
        assume_role_policy=_iam.to_json(
            _iam.service_trust("sagemaker.amazonaws.com", context.account_id)
        ),
        tags=children.tagged("role"),
        opts=children.opts(),
    )
    policy = aws.iam.RolePolicy(
        children.name("role-policy"),
        role=role.id,
        policy=_iam.to_json(_iam.document(*statements(context, grants))),
        opts=children.opts(),
    )
    return role, policy
