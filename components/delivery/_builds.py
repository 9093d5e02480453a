"""The pipeline's CodeBuild projects, each with its own least-privilege role."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.core.codebuild import codebuild_vpc_statements
from mlops_platform.components.core.placement import Placement
from mlops_platform.components.delivery import pipeline_spec

PULUMI_TOKEN_SECRET = "mlops/pulumi-access-token"
"""The Secrets Manager secret the deploy buildspec reads the Pulumi token from."""


@dataclass(frozen=True)
class Shared:
    """What every project of one pipeline uses."""

    context: AwsContext
    key: aws.kms.Key
    bucket: aws.s3.Bucket
    log_group: aws.cloudwatch.LogGroup
    image: str
    compute_type: str


def create_role(
    children: Children,
    suffix: str,
    service: str,
    context: AwsContext,
    policy: _iam.PolicyDocument | pulumi.Output[str],
) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
    """A role only `service` of this account may assume, with one inline policy."""
    role = aws.iam.Role(
        children.name(f"{suffix}-role"),
        assume_role_policy=_iam.to_json(_iam.service_trust(service, context.account_id)),
        tags=children.tagged(f"{suffix}-role"),
        opts=children.opts(),
    )
    grant = aws.iam.RolePolicy(
        children.name(f"{suffix}-access"),
        role=role.id,
        policy=_iam.to_json(policy) if isinstance(policy, dict) else policy,
        opts=children.opts(),
    )
    return role, grant


def _variables(values: Mapping[str, pulumi.Input[str]]) -> list[dict[str, Any]]:
    return [{"name": k, "value": v, "type": "PLAINTEXT"} for k, v in sorted(values.items())]


def create_project(
    children: Children,
    part: str,
    shared: Shared,
    role: tuple[aws.iam.Role, aws.iam.RolePolicy],
    variables: Mapping[str, pulumi.Input[str]],
    *,
    privileged: bool = False,
    source: dict[str, Any] | None = None,
    placement: Placement | None = None,
) -> aws.codebuild.Project:
    """A project running the shipped buildspec `part`, logging to the pipeline's group."""
    buildspec = pipeline_spec.buildspec(part.split("-", 1)[0])
    vpc = None
    if placement is not None:
        vpc = {
            "vpc_id": placement.vpc_id,
            "subnets": placement.subnet_ids,
            "security_group_ids": placement.security_group_ids,
        }
    settings: dict[str, Any] = dict(
        service_role=role[0].arn,
        encryption_key=shared.key.arn,
        source={**(source or {"type": "CODEPIPELINE"}), "buildspec": buildspec},
        artifacts={"type": "NO_ARTIFACTS"} if source else {"type": "CODEPIPELINE"},
        environment={
            "type": "LINUX_CONTAINER",
            "compute_type": shared.compute_type,
            "image": shared.image,
            "image_pull_credentials_type": "CODEBUILD",
            "privileged_mode": privileged,
            "environment_variables": _variables(variables),
        },
        logs_config={
            "cloudwatch_logs": {"group_name": shared.log_group.name, "stream_name": part},
            "s3_logs": {"status": "DISABLED"},
        },
        vpc_config=vpc,
        tags=children.tagged(part),
        opts=children.opts(depends_on=[role[1]]),  # the role can act before the first build
    )
    return aws.codebuild.Project(children.name(part), **settings)


def deploy_policy(
    shared: Shared,
    *,
    stack_role_arn: pulumi.Input[str],
    connection_arn: pulumi.Input[str],
    placement: Placement | None,
) -> _iam.PolicyDocument:
    """The deploy project: logs, the Pulumi token, the connection, and assume the stack's role."""
    log_arn = shared.log_group.arn
    statements: list[dict[str, Any]] = [
        {
            "Sid": "Logs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [log_arn, pulumi.Output.concat(log_arn, ":log-stream:*")],
        },
        {
            "Sid": "PulumiToken",
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": shared.context.arn("secretsmanager", f"secret:{PULUMI_TOKEN_SECRET}-*"),
        },
        {
            "Sid": "Source",
            "Effect": "Allow",
            "Action": [
                "codeconnections:GetConnectionToken",
                "codeconnections:UseConnection",
                "codestar-connections:GetConnectionToken",
                "codestar-connections:UseConnection",
            ],
            "Resource": connection_arn,
        },
        {
            "Sid": "StackRole",
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": stack_role_arn,
        },
    ]
    if placement is not None:
        statements += codebuild_vpc_statements(shared.context, placement.subnet_ids)
    return _iam.document(*statements)
