"""The serving layer's in-VPC deployer and the cluster's access entries (AWS public APIs only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core import kms as _kms
from mlops_platform.components.core.api_clients import ClientGroup, https_client_group
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.core.codebuild import codebuild_vpc_statements
from mlops_platform.components.core.logs import encrypted_log_group
from mlops_platform.components.eks.cluster.deployer import (
    CLUSTER_ADMIN_POLICY,
    AccessGrant,
    DeployerSpec,
    buildspec,
)

SERVING_PROJECT = "mlops-serving"
"""The serving layer's Pulumi project: the only project whose state the deployer writes."""

BUILD_IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0"
"""The managed build image: Python 3 and the AWS CLI, which `aws eks get-token` needs."""


@dataclass(frozen=True)
class DeployerTarget:
    """What the deployer is placed in and deploys to."""

    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    cluster: aws.eks.Cluster
    api_security_group: aws.ec2.SecurityGroup
    log_retention_days: int


@dataclass(frozen=True)
class Deployer:
    """The created deployer."""

    project: aws.codebuild.Project
    role: aws.iam.Role
    source: pulumi.Output[str]
    """`bucket/key` of the source archive the build reads: upload it there before a build."""


DEPLOYER = ClientGroup(
    key="deployer",
    group="Serving-layer deployer: HTTPS out only",
    egress="HTTPS to the cluster API, AWS APIs and chart repositories",
    ingress="Kubernetes API from the serving-layer deployer",
)
"""The deployer's group, admitted by the cluster API."""


def grant_access(
    children: Children,
    context: AwsContext,
    cluster: aws.eks.Cluster,
    grants: Sequence[AccessGrant],
) -> list[pulumi.Resource]:
    """One access entry per grant, with its one access policy, cluster-wide."""
    created: list[pulumi.Resource] = []
    for grant in grants:
        entry = aws.eks.AccessEntry(
            children.name(f"access-{grant.key}"),
            cluster_name=cluster.name,
            principal_arn=grant.principal_arn,
            type="STANDARD",
            tags=children.tagged(f"access-{grant.key}"),
            opts=children.opts(),
        )
        created.append(entry)
        created.append(
            aws.eks.AccessPolicyAssociation(
                children.name(f"access-{grant.key}-policy"),
                cluster_name=cluster.name,
                principal_arn=entry.principal_arn,
                policy_arn=pulumi.Output.concat(
                    "arn:", context.partition, ":eks::aws:cluster-access-policy/", grant.policy
                ),
                access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(type="cluster"),
                opts=children.opts(),
            )
        )
    return created


def create_deployer(
    children: Children, context: AwsContext, spec: DeployerSpec, target: DeployerTarget
) -> Deployer:
    """A CodeBuild project in the private subnets that applies the serving layer.

    It may reach the cluster API on 443 (an ingress rule on the API's security group from the
    project's own group), logs to a KMS-encrypted group, and holds cluster admin through an
    access entry: the serving layer installs CRDs and cluster-scoped RBAC, which no narrower
    EKS access policy allows.
    """
    log_group_name = pulumi.Output.concat("/aws/codebuild/", children.prefix, "-deployer")
    key = _kms.encryption_key(
        children.name("deployer-key"),
        description=f"Encrypts the serving-layer deployer's logs of {children.prefix}",
        policy=_kms.key_policy(
            context,
            _kms.logs_may_use_key(context, sid="LogsEncryptDeployerLogs", log_group=log_group_name),
        ),
        tags=children.tagged("deployer-key"),
        opts=children.stateful_opts(),
    )
    logs = encrypted_log_group(
        children,
        "deployer-logs",
        name=log_group_name,
        key=key,
        retention_days=target.log_retention_days,
    )
    source = pulumi.Output.concat(spec.bucket, "/sources/", children.prefix, ".zip")
    role = _deployer_role(
        children, context, spec=spec, cluster=target.cluster, logs=logs, key=key,
        subnet_ids=target.subnet_ids,
    )  # fmt: skip
    group = _deployer_security_group(children, target)
    project = aws.codebuild.Project(
        children.name("deployer"),
        description=f"Applies the serving layer of {children.prefix} from inside its VPC",
        service_role=role.arn,
        encryption_key=key.arn,
        build_timeout=60,
        artifacts=aws.codebuild.ProjectArtifactsArgs(type="NO_ARTIFACTS"),
        source=aws.codebuild.ProjectSourceArgs(
            type="S3",
            location=source,
            buildspec=buildspec(spec.pulumi_version),
        ),
        environment=aws.codebuild.ProjectEnvironmentArgs(
            compute_type="BUILD_GENERAL1_SMALL",
            image=BUILD_IMAGE,
            type="LINUX_CONTAINER",
            privileged_mode=False,
            environment_variables=[
                aws.codebuild.ProjectEnvironmentEnvironmentVariableArgs(
                    name="PULUMI_BACKEND_URL", value=spec.backend_url, type="PLAINTEXT"
                )
            ],
        ),
        vpc_config=aws.codebuild.ProjectVpcConfigArgs(
            vpc_id=target.vpc_id, subnets=target.subnet_ids, security_group_ids=[group.id]
        ),
        logs_config=aws.codebuild.ProjectLogsConfigArgs(
            cloudwatch_logs=aws.codebuild.ProjectLogsConfigCloudwatchLogsArgs(
                status="ENABLED", group_name=logs.name
            )
        ),
        tags=children.tagged("deployer"),
        opts=children.opts(),
    )
    grant_access(
        children,
        context,
        target.cluster,
        [AccessGrant(role.arn, CLUSTER_ADMIN_POLICY, "deployer")],
    )
    return Deployer(project=project, role=role, source=source)


def _deployer_security_group(children: Children, target: DeployerTarget) -> aws.ec2.SecurityGroup:
    """The build's group: HTTPS out (cluster API, AWS APIs, chart and plugin downloads)."""
    return https_client_group(
        children,
        DEPLOYER,
        vpc_id=target.vpc_id,
        api_security_group_id=target.api_security_group.id,
    )


def _deployer_role(
    children: Children,
    context: AwsContext,
    *,
    spec: DeployerSpec,
    cluster: aws.eks.Cluster,
    logs: aws.cloudwatch.LogGroup,
    key: aws.kms.Key,
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
) -> aws.iam.Role:
    role = aws.iam.Role(
        children.name("deployer-role"),
        description=f"Serving-layer deployer of {children.prefix}",
        assume_role_policy=_iam.to_json(
            _iam.service_trust("codebuild.amazonaws.com", context.account_id)
        ),
        tags=children.tagged("deployer-role"),
        opts=children.opts(),
    )
    aws.iam.RolePolicy(
        children.name("deployer-permissions"),
        role=role.name,
        policy=_iam.to_json(
            _iam.document(
                *deployer_statements(context, spec, cluster, logs, key, subnet_ids=subnet_ids)
            )
        ),
        opts=children.opts(),
    )
    return role


def deployer_statements(
    context: AwsContext,
    spec: DeployerSpec,
    cluster: aws.eks.Cluster,
    logs: aws.cloudwatch.LogGroup,
    key: aws.kms.Key,
    *,
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
) -> list[dict[str, Any]]:
    """State and source in the backend bucket, its logs, the cluster, the serving roles, ENIs."""
    bucket = pulumi.Output.concat("arn:", context.partition, ":s3:::", spec.bucket)
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ReadStateAndSource",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": pulumi.Output.concat(bucket, "/*"),
        },
        {
            "Sid": "WriteServingStateOnly",
            "Effect": "Allow",
            "Action": ["s3:PutObject", "s3:DeleteObject"],
            "Resource": pulumi.Output.concat(bucket, "/.pulumi/*/", SERVING_PROJECT, "/*"),
        },
        {"Sid": "ListState", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": bucket},
        {
            "Sid": "WriteBuildLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": pulumi.Output.concat(logs.arn, ":*"),
        },
        {
            "Sid": "UseLogKey",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": key.arn,
        },
        {
            "Sid": "ReachCluster",
            "Effect": "Allow",
            "Action": "eks:DescribeCluster",
            "Resource": cluster.arn,
        },
        {
            "Sid": "ManageServingRoles",
            "Effect": "Allow",
            "Action": [
                "iam:CreateRole",
                "iam:DeleteRole",
                "iam:GetRole",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:UpdateRoleDescription",
                "iam:UpdateAssumeRolePolicy",
                "iam:PutRolePolicy",
                "iam:GetRolePolicy",
                "iam:DeleteRolePolicy",
                "iam:ListRolePolicies",
                "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
            ],
            "Resource": pulumi.Output.concat(
                "arn:",
                context.partition,
                ":iam::",
                context.account_id,
                ":role/",
                spec.serving_prefix,
                "-*",
            ),
        },
        *codebuild_vpc_statements(context, subnet_ids),
    ]
    if spec.secrets_key_arn is not None:
        statements.append(
            {
                "Sid": "UseSecretsProviderKey",
                "Effect": "Allow",
                "Action": ["kms:Encrypt", "kms:Decrypt"],
                "Resource": spec.secrets_key_arn,
            }
        )
    return statements
