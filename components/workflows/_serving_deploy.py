"""What the deploy project needs to apply the serving layer for EKS targets (AWS APIs only).

Its own security group, admitted by the cluster API on 443; an access entry with cluster admin
(the serving layer installs CRDs and cluster-scoped RBAC, as the cluster's deployer does); and
the statements its role needs: the cluster, the serving layer's IAM roles, the state backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core.api_clients import ClientGroup, https_client_group
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.core.placement import Placement
from mlops_platform.components.workflows.args import ServiceCluster, ServingDeploy

ADMIN_POLICY = "AmazonEKSClusterAdminPolicy"
"""Cluster admin, cluster-wide: what the serving layer's CRDs and ClusterRoles need."""
PROJECTS = ("mlops-platform", "mlops-serving")
"""The Pulumi projects whose state the deploy project writes: both layers."""
_ROLE_ACTIONS = [
    "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:TagRole", "iam:UntagRole",
    "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy",
    "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:ListRolePolicies",
    "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole",
]  # fmt: skip


DEPLOY_PROJECT = ClientGroup(
    key="deploy",
    group="Promotion deploy: HTTPS out only (cluster API, AWS APIs, downloads)",
    egress="HTTPS to the cluster API, the AWS APIs and the Pulumi and package downloads",
    ingress="Kubernetes API from the promotion deploy project",
)
"""The deploy project's group, admitted by the cluster API."""


def serving_variables(
    service_targets: Sequence[str], serving: ServingDeploy
) -> list[dict[str, str]]:
    """The buildspec's variables: which targets are services, and the state backend."""
    variables = [
        {"name": "SERVICE_TARGETS", "value": " ".join(service_targets), "type": "PLAINTEXT"}
    ]
    if serving.backend_url is not None:
        variables.append(
            {"name": "PULUMI_BACKEND_URL", "value": serving.backend_url, "type": "PLAINTEXT"}
        )
    return variables


def serving_statements(
    context: AwsContext, cluster: ServiceCluster, serving: ServingDeploy
) -> list[dict[str, Any]]:
    """The cluster, the serving layer's roles, and (with an S3 backend) both layers' state."""
    statements: list[dict[str, Any]] = [
        {"Sid": "ReachCluster", "Effect": "Allow", "Action": "eks:DescribeCluster",
         "Resource": cluster.cluster_arn},
        {"Sid": "ManageServingRoles", "Effect": "Allow", "Action": _ROLE_ACTIONS,
         "Resource": pulumi.Output.concat("arn:", context.partition, ":iam::", context.account_id,
                                          ":role/", serving.serving_prefix, "-*")},
    ]  # fmt: skip
    if serving.backend_url is not None:
        name = serving.backend_url.removeprefix("s3://").split("/", 1)[0]
        bucket = pulumi.Output.concat("arn:", context.partition, ":s3:::", name)
        statements += [
            {"Sid": "ReadState", "Effect": "Allow", "Action": "s3:GetObject",
             "Resource": pulumi.Output.concat(bucket, "/*")},
            {"Sid": "WriteLayersState", "Effect": "Allow",
             "Action": ["s3:PutObject", "s3:DeleteObject"],
             "Resource": [pulumi.Output.concat(bucket, f"/.pulumi/*/{project}/*")
                          for project in PROJECTS]},
            {"Sid": "ListState", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": bucket},
        ]  # fmt: skip
    if serving.secrets_key_arn is not None:
        statements.append(
            {"Sid": "UseSecretsProviderKey", "Effect": "Allow",
             "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": serving.secrets_key_arn}
        )  # fmt: skip
    return statements


def deploy_security_group(
    children: Children, cluster: ServiceCluster, placement: Placement
) -> aws.ec2.SecurityGroup:
    """The project's own group: HTTPS out; the cluster API admits it on 443."""
    return https_client_group(
        children,
        DEPLOY_PROJECT,
        vpc_id=placement.vpc_id,
        api_security_group_id=cluster.api_security_group_id,
    )


def grant_admin(
    children: Children,
    context: AwsContext,
    cluster: ServiceCluster,
    principal_arn: pulumi.Input[str],
) -> aws.eks.AccessPolicyAssociation:
    """The deploy role's access entry: cluster admin, cluster-wide, like the deployer's."""
    entry = aws.eks.AccessEntry(
        children.name("deploy-access"),
        cluster_name=cluster.cluster_name,
        principal_arn=principal_arn,
        type="STANDARD",
        tags=children.tagged("deploy-access"),
        opts=children.opts(),
    )
    return aws.eks.AccessPolicyAssociation(
        children.name("deploy-access-policy"),
        cluster_name=cluster.cluster_name,
        principal_arn=entry.principal_arn,
        policy_arn=pulumi.Output.concat(
            "arn:", context.partition, ":eks::aws:cluster-access-policy/", ADMIN_POLICY
        ),
        access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(type="cluster"),
        opts=children.opts(),
    )
