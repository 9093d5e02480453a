"""One environment, as a table of contents: config, account, network, endpoints, serving plane."""

from __future__ import annotations

import pulumi

from infra import accounts, config
from infra.endpoints import create_endpoints, endpoint_outputs
from infra.monitoring import create_monitoring, monitoring_outputs
from infra.serving import create_serving
from mlops_platform.components.network import Network


def main() -> None:
    """Build the running stack's environment from its config, and export what operators use."""
    stack = config.load()  # raises before any resource exists when the config is bad
    options = accounts.deployment_options(stack)
    network = Network(f"{stack.environment}-network", stack.network, options)
    endpoints = create_endpoints(stack, network, options)
    serving = create_serving(stack, network, options)
    monitoring = create_monitoring(stack, endpoints, serving, options)

    pulumi.export("environment", stack.environment)
    pulumi.export("vpcId", network.vpc_id)
    pulumi.export("privateSubnetIds", network.private_subnet_ids)
    pulumi.export("publicSubnetIds", network.public_subnet_ids)
    pulumi.export("availabilityZones", network.availability_zones)
    pulumi.export("endpoints", endpoint_outputs(endpoints))
    pulumi.export("monitoring", monitoring_outputs(monitoring))
    if serving is not None:
        pulumi.export("clusterName", serving.cluster.cluster_name)
        pulumi.export("clusterEndpoint", serving.cluster.endpoint)
        pulumi.export(
            "modelServices", {name: s.service_url for name, s in serving.services.items()}
        )
