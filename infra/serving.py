"""The stack's EKS serving plane: the GPU cluster in the network, and each model service on it."""

from __future__ import annotations

from dataclasses import replace

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
        f"{stack.environment}-cluster",
        replace(
            stack.cluster,
            vpc_id=network.vpc_id,
            subnet_ids=network.private_subnet_ids,
            kubernetes_api_role_arn=stack.account.role_arn if stack.account else None,
        ),
        options,
    )
    workloads = pulumi.ResourceOptions.merge(options, cluster.workload_options())
    urls = {}
    for service in stack.services:
        served = ModelService(
            f"{stack.environment}-{service.service_name}",
            replace(
                service,
                oidc_provider_arn=cluster.oidc_provider_arn,
                oidc_issuer_url=cluster.oidc_issuer_url,
            ),
            workloads,
        )
        urls[service.service_name] = served.service_url
    pulumi.export("clusterName", cluster.cluster_name)
    pulumi.export("clusterEndpoint", cluster.endpoint)
    pulumi.export("modelServices", urls)
    return cluster
