"""One environment, as a table of contents: config, account, network, serving cluster."""

from __future__ import annotations

from dataclasses import replace

import pulumi

from components.gpu_cluster import GpuCluster, GpuClusterArgs
from components.model_service import ModelService
from components.network import Network
from infra import accounts, config


def main() -> None:
    """Build the running stack's environment from its config."""
    stack = config.load()  # raises before any resource exists when the config is bad
    options = accounts.deployment_options(stack)
    network = Network(f"{stack.environment}-network", stack.network, options)

    pulumi.export("environment", stack.environment)
    pulumi.export("vpcId", network.vpc_id)
    pulumi.export("privateSubnetIds", network.private_subnet_ids)
    pulumi.export("publicSubnetIds", network.public_subnet_ids)
    pulumi.export("availabilityZones", network.availability_zones)
    if stack.cluster is not None:
        _serving(stack, stack.cluster, network, options)


def _serving(
    stack: config.StackConfig,
    cluster_args: GpuClusterArgs,
    network: Network,
    options: pulumi.ResourceOptions,
) -> None:
    """The EKS cluster in the network's private subnets, and each model service on it."""
    cluster = GpuCluster(
        f"{stack.environment}-cluster",
        replace(
            cluster_args,
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
