"""The stack's EKS serving plane: the GPU cluster in the network, and each model service on it."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from infra.config import StackConfig
from mlops_platform.components.eks import GpuCluster, ModelService
from mlops_platform.components.network import Network


@dataclass(frozen=True)
class ServingPlane:
    """The cluster and its services, by service name."""

    cluster: GpuCluster
    services: dict[str, ModelService]


def create_serving(
    stack: StackConfig, network: Network, options: pulumi.ResourceOptions
) -> ServingPlane | None:
    """Build the cluster and its services when the stack has `mlops:cluster`."""
    if stack.cluster is None:
        return None
    cluster = GpuCluster(
        f"{stack.environment}-cluster", stack.cluster, network.placement(), options
    )
    access = cluster.access()
    services = {
        service.service_name: ModelService(
            f"{stack.environment}-{service.service_name}", service, access, options
        )
        for service in stack.services
    }
    return ServingPlane(cluster, services)
