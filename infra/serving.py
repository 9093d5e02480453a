"""The stack's EKS serving plane: the GPU cluster in the network, and each model service on it."""

from __future__ import annotations

import pulumi

from infra.config import StackConfig
from mlops_platform.components.eks import GpuCluster, ModelService
from mlops_platform.components.network import Network


def create_serving(
    stack: StackConfig, network: Network, options: pulumi.ResourceOptions
) -> GpuCluster | None:
    """Build the cluster and its services when the stack has `mlops:cluster`; export them."""
    if stack.cluster is None:
        return None
    cluster = GpuCluster(
        f"{stack.environment}-cluster", stack.cluster, network.placement(), options
    )
    access = cluster.access()
    urls = {}
    for service in stack.services:
        served = ModelService(
            f"{stack.environment}-{service.service_name}", service, access, options
        )
        urls[service.service_name] = served.service_url
    pulumi.export("clusterName", cluster.cluster_name)
    pulumi.export("clusterEndpoint", cluster.endpoint)
    pulumi.export("modelServices", urls)
    return cluster
