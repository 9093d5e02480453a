"""EKS managed add-ons the data plane needs, each with the least rights it can work with."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.eks import _irsa
from mlops_platform.components.eks.cluster._control_plane import ControlPlane

BEFORE_NODES = ("vpc-cni", "kube-proxy")
"""Add-ons nodes need to become Ready: installed before any node group."""
AFTER_NODES = ("coredns",)
"""Add-ons whose pods need a node to run on: installed after the system node group."""


def network_addons(
    children: Children, context: AwsContext, plane: ControlPlane
) -> list[aws.eks.Addon]:
    """The VPC CNI (with its own IRSA role, so nodes need no ENI rights) and kube-proxy."""
    cni_role = _irsa.service_account_role(
        children,
        "vpc-cni-role",
        provider_arn=plane.oidc_provider.arn,
        issuer_url=plane.issuer_url,
        namespace="kube-system",
        account="aws-node",
    )
    cni_policy = aws.iam.RolePolicyAttachment(
        children.name("vpc-cni-AmazonEKS_CNI_Policy"),
        role=cni_role.name,
        policy_arn=pulumi.Output.concat(
            "arn:", context.partition, ":iam::aws:policy/AmazonEKS_CNI_Policy"
        ),
        opts=children.opts(),
    )
    roles = {"vpc-cni": cni_role}
    addons = [
        aws.eks.Addon(
            children.name(addon),
            cluster_name=plane.cluster.name,
            addon_name=addon,
            service_account_role_arn=roles[addon].arn if addon in roles else None,
            resolve_conflicts_on_create="OVERWRITE",
            resolve_conflicts_on_update="PRESERVE",
            tags=children.tagged(addon),
            opts=children.opts(depends_on=[cni_policy] if addon in roles else None),
        )
        for addon in BEFORE_NODES
    ]
    return addons


def node_addons(
    children: Children, plane: ControlPlane, system_nodes: aws.eks.NodeGroup
) -> list[aws.eks.Addon]:
    """CoreDNS, once the system nodes exist to run it."""
    return [
        aws.eks.Addon(
            children.name(addon),
            cluster_name=plane.cluster.name,
            addon_name=addon,
            resolve_conflicts_on_create="OVERWRITE",
            resolve_conflicts_on_update="PRESERVE",
            tags=children.tagged(addon),
            opts=children.opts(depends_on=[system_nodes]),
        )
        for addon in AFTER_NODES
    ]
