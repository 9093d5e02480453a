"""The CodeBuild project the apply step starts: `pulumi up` of the environment, in its VPC."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.core.codebuild import codebuild_vpc_statements
from mlops_platform.components.core.placement import Placement
from mlops_platform.components.workflows import _serving_deploy
from mlops_platform.components.workflows.args import DeploySpec, ServiceCluster

BUILDSPEC = "components/delivery/buildspecs/deploy.yml"
"""The buildspec, read from the repository's source at the deployed commit."""
IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0"
"""Amazon Linux 2023 standard image: has the python 3.11 runtime the buildspec selects."""


def project_policy(
    context: AwsContext,
    spec: DeploySpec,
    log_group_arn: pulumi.Input[str],
    placement: Placement,
    cluster: ServiceCluster | None = None,
) -> _iam.PolicyDocument:
    """Logs, the token secret, the VPC's network interfaces and (when set) the deploy role.

    With a `cluster` (EKS targets), also what applying the serving layer takes. The EC2
    describe and interface actions CodeBuild needs in a VPC take no resource ARNs.
    """
    statements: list[dict[str, Any]] = [
        {
            "Sid": "BuildLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [log_group_arn, pulumi.Output.concat(log_group_arn, ":*")],
        },
        {
            "Sid": "PulumiToken",
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": context.arn("secretsmanager", f"secret:{spec.token_secret}-*"),
        },
        *codebuild_vpc_statements(context, placement.subnet_ids),
    ]
    if spec.deploy_role_arn is not None:
        statements.append(
            {
                "Sid": "AssumeDeployRole",
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Resource": spec.deploy_role_arn,
            }
        )
    if cluster is not None and spec.serving is not None:
        statements += _serving_deploy.serving_statements(context, cluster, spec.serving)
    return _iam.document(*statements)


def create_project(
    children: Children,
    context: AwsContext,
    *,
    environment: str,
    spec: DeploySpec,
    placement: Placement,
    log_group: aws.cloudwatch.LogGroup,
    services: Mapping[str, ServiceCluster] | None = None,
) -> aws.codebuild.Project:
    """The deploy project: GitHub source at `spec.branch`, in the placement's private subnets.

    `services`: the EKS targets by name and their (one) cluster. With any, the buildspec also
    applies the serving layer when the promoted target is one of them (`SERVICE_TARGETS`), from
    a security group the cluster API admits, as a role with a cluster-admin access entry.
    """
    cluster = next(iter(services.values())) if services else None
    groups: Any = placement.security_group_ids
    variables: list[Any] = [{"name": "STACK", "value": environment, "type": "PLAINTEXT"}]
    if cluster is not None and services and spec.serving is not None:
        own = _serving_deploy.deploy_security_group(children, cluster, placement).id
        groups = pulumi.Output.all(placement.security_group_ids, own).apply(lambda v: [*v[0], v[1]])
        variables += _serving_deploy.serving_variables(sorted(services), spec.serving)
    role = aws.iam.Role(
        children.name("deploy-role"),
        assume_role_policy=_iam.to_json(
            _iam.service_trust("codebuild.amazonaws.com", context.account_id)
        ),
        tags=children.tagged("deploy-role"),
        opts=children.opts(),
    )
    policy = aws.iam.RolePolicy(
        children.name("deploy-policy"),
        role=role.id,
        policy=_iam.to_json(project_policy(context, spec, log_group.arn, placement, cluster)),
        opts=children.opts(),
    )
    project = aws.codebuild.Project(
        children.name("deploy"),
        description=f"pulumi up of the {environment} stack, started by the promotion workflow",
        service_role=role.arn,
        source={
            "type": "GITHUB",
            "location": spec.repository,
            "buildspec": BUILDSPEC,
            "git_clone_depth": 1,
        },
        source_version=spec.branch,
        artifacts={"type": "NO_ARTIFACTS"},
        environment={
            "compute_type": "BUILD_GENERAL1_SMALL",
            "image": IMAGE,
            "type": "LINUX_CONTAINER",
            "privileged_mode": False,
            "environment_variables": variables,
        },
        vpc_config={
            "vpc_id": placement.vpc_id,
            "subnets": placement.subnet_ids,
            "security_group_ids": groups,
        },
        logs_config={"cloudwatch_logs": {"status": "ENABLED", "group_name": log_group.name}},
        build_timeout=60,
        concurrent_build_limit=1,
        tags=children.tagged("deploy"),
        opts=children.opts(depends_on=[policy]),
    )
    if cluster is not None:
        _serving_deploy.grant_admin(children, context, cluster, role.arn)
    return project
