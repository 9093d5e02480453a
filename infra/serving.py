"""The stack's EKS cluster in the platform layer, and what the serving layer reads of it."""

from __future__ import annotations

from typing import Any

import pulumi

from infra.config import StackConfig
from mlops_platform.components.eks import GpuCluster
from mlops_platform.components.network import Network

CLUSTER_OUTPUT = "cluster"
"""The platform stack output the serving layer reads through its StackReference."""


def create_serving(
    stack: StackConfig, network: Network, options: pulumi.ResourceOptions
) -> GpuCluster | None:
    """Build the cluster (AWS APIs only) when the stack has `mlops:cluster`."""
    if stack.cluster is None:
        return None
    return GpuCluster(f"{stack.environment}-cluster", stack.cluster, network.placement(), options)


def cluster_outputs(cluster: GpuCluster) -> dict[str, Any]:
    """What the serving layer needs of the cluster, as one stack output."""
    return {
        "name": cluster.cluster_name,
        "endpoint": cluster.endpoint,
        "certificateAuthority": cluster.certificate_authority,
        "oidcProviderArn": cluster.oidc_provider_arn,
        "oidcIssuerUrl": cluster.oidc_issuer_url,
        "nodeRoleArn": cluster.node_role_arn,
        "deployerProject": cluster.deployer_project,
        "deployerRoleArn": cluster.deployer_role_arn,
        "deployerSource": cluster.deployer_source,
    }
