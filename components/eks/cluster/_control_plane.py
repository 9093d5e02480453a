"""The EKS control plane: its role, secrets key, audit logs, API security group and OIDC issuer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core import kms as _kms
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.checks import HTTPS
from mlops_platform.components.core.children import Children
from mlops_platform.components.core.logs import encrypted_log_group

LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
"""Every control-plane log EKS can send to CloudWatch Logs."""


@dataclass(frozen=True)
class ControlPlaneSettings:
    """What the control plane is built from (a subset of `GpuClusterArgs`)."""

    kubernetes_version: str
    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    endpoint_public_access: bool
    public_access_cidrs: Sequence[str]
    private_access_cidrs: Sequence[str]
    log_retention_days: int


@dataclass(frozen=True)
class ControlPlane:
    """The created control plane, for the node groups and cluster software to build on."""

    cluster: aws.eks.Cluster
    oidc_provider: aws.iam.OpenIdConnectProvider
    issuer_url: pulumi.Output[str]
    key: aws.kms.Key
    api_security_group: aws.ec2.SecurityGroup


def create_control_plane(
    children: Children, context: AwsContext, settings: ControlPlaneSettings
) -> ControlPlane:
    """The cluster with encrypted secrets, retained logs and an OIDC provider for IRSA.

    The cluster's name is chosen up front (component name plus a random suffix) so its log group
    can exist, with its retention and key, before EKS starts writing to it.
    """
    suffix = random.RandomId(children.name("name-suffix"), byte_length=4, opts=children.opts())
    cluster_name = pulumi.Output.concat(children.prefix, "-", suffix.hex)
    log_group_name = pulumi.Output.concat("/aws/eks/", cluster_name, "/cluster")
    key = _kms.encryption_key(
        children.name("key"),
        description=f"Encrypts the Kubernetes secrets and control-plane logs of {children.prefix}",
        policy=_kms.key_policy(
            context,
            _kms.logs_may_use_key(
                context, sid="CloudWatchLogsEncryptsControlPlaneLogs", log_group=log_group_name
            ),
        ),
        tags=children.tagged("key"),
        opts=children.stateful_opts(),
    )
    log_group = encrypted_log_group(
        children,
        "control-plane-logs",
        name=log_group_name,
        key=key,
        retention_days=settings.log_retention_days,
    )
    role, role_parts = _cluster_role(children, context, key)
    group = _api_security_group(children, settings)
    cluster = aws.eks.Cluster(
        children.name("cluster"),
        name=cluster_name,
        version=settings.kubernetes_version,
        role_arn=role.arn,
        vpc_config=_vpc_config(settings, group),
        encryption_config=aws.eks.ClusterEncryptionConfigArgs(
            provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=key.arn),
            resources=["secrets"],
        ),
        enabled_cluster_log_types=list(LOG_TYPES),
        access_config=aws.eks.ClusterAccessConfigArgs(
            authentication_mode="API",
            # Nobody is admin implicitly: access entries name every principal (see _deployer).
            bootstrap_cluster_creator_admin_permissions=False,
        ),
        # The VPC CNI, kube-proxy and CoreDNS come as managed add-ons, CNI with its own role.
        bootstrap_self_managed_addons=False,
        upgrade_policy=aws.eks.ClusterUpgradePolicyArgs(support_type="STANDARD"),
        deletion_protection=children.protect_data,
        tags=children.tagged("cluster"),
        opts=pulumi.ResourceOptions.merge(
            children.stateful_opts(),
            pulumi.ResourceOptions(
                depends_on=[log_group, *role_parts],
                # The provider replaces the cluster when this changes (ForceNew), and EKS reads
                # it only at creation: a cluster created with the old `true` is kept, not
                # replaced, and its creator's entry can be deleted by hand once entries exist.
                ignore_changes=["accessConfig.bootstrapClusterCreatorAdminPermissions"],
            ),
        ),
    )
    issuer_url = cluster.identities.apply(_issuer)
    oidc_provider = aws.iam.OpenIdConnectProvider(
        children.name("oidc"),
        url=issuer_url,
        client_id_lists=["sts.amazonaws.com"],
        tags=children.tagged("oidc"),
        opts=children.opts(),
    )
    return ControlPlane(
        cluster=cluster,
        oidc_provider=oidc_provider,
        issuer_url=issuer_url,
        key=key,
        api_security_group=group,
    )


def _issuer(identities: Sequence[aws.eks.outputs.ClusterIdentity]) -> str:
    """The OIDC issuer URL among a cluster's identities."""
    oidcs = identities[0].oidcs or []
    return (oidcs[0].issuer or "") if oidcs else ""


def _vpc_config(
    settings: ControlPlaneSettings, group: aws.ec2.SecurityGroup
) -> aws.eks.ClusterVpcConfigArgs:
    """Private endpoint always; public only when asked, and then from the listed networks."""
    return aws.eks.ClusterVpcConfigArgs(
        subnet_ids=settings.subnet_ids,
        security_group_ids=[group.id],
        endpoint_private_access=True,
        endpoint_public_access=settings.endpoint_public_access,
        public_access_cidrs=(
            list(settings.public_access_cidrs) if settings.endpoint_public_access else None
        ),
    )


def _cluster_role(
    children: Children, context: AwsContext, key: aws.kms.Key
) -> tuple[aws.iam.Role, list[pulumi.Resource]]:
    """The role EKS assumes: the cluster policy, and use of the secrets key only."""
    role = aws.iam.Role(
        children.name("cluster-role"),
        description=f"EKS control plane of {children.prefix}",
        assume_role_policy=_iam.to_json(
            _iam.service_trust("eks.amazonaws.com", None, tag_session=True)
        ),
        tags=children.tagged("cluster-role"),
        opts=children.opts(),
    )
    attachment = aws.iam.RolePolicyAttachment(
        children.name("cluster-AmazonEKSClusterPolicy"),
        role=role.name,
        policy_arn=pulumi.Output.concat(
            "arn:", context.partition, ":iam::aws:policy/AmazonEKSClusterPolicy"
        ),
        opts=children.opts(),
    )
    encrypt = aws.iam.RolePolicy(
        children.name("cluster-encrypt-secrets"),
        role=role.name,
        policy=_iam.to_json(
            _iam.document(
                {
                    "Sid": "EnvelopeEncryptSecrets",
                    "Effect": "Allow",
                    "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                    "Resource": key.arn,
                }
            )
        ),
        opts=children.opts(),
    )
    return role, [attachment, encrypt]


def _api_security_group(
    children: Children, settings: ControlPlaneSettings
) -> aws.ec2.SecurityGroup:
    """Extra control-plane group: HTTPS to the private endpoint from the listed networks only."""
    group = aws.ec2.SecurityGroup(
        children.name("api-sg"),
        vpc_id=settings.vpc_id,
        description="EKS API: HTTPS from the listed private networks only",
        tags=children.tagged("api-sg"),
        opts=children.opts(),
    )
    for index, cidr in enumerate(settings.private_access_cidrs):
        aws.vpc.SecurityGroupIngressRule(
            children.name(f"api-https-{index}"),
            security_group_id=group.id,
            description=f"Kubernetes API from {cidr}",
            ip_protocol="tcp",
            from_port=HTTPS,
            to_port=HTTPS,
            cidr_ipv4=cidr,
            tags=children.tagged(f"api-https-{index}"),
            opts=children.opts(),
        )
    return group
