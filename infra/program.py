"""One environment's platform layer: config, account, network, endpoints, cluster.

Only AWS public APIs: the Helm releases and Kubernetes objects are the serving layer's
(`serving/`, `infra/serving_layer.py`), applied from inside the VPC.
"""

from __future__ import annotations

import pulumi

from infra import accounts, config, delivery, service_releases
from infra.endpoints import create_endpoints, endpoint_outputs
from infra.monitoring import create_monitoring, monitoring_outputs
from infra.serving import CLUSTER_OUTPUT, cluster_outputs, create_serving
from infra.workflows import create_workflows, workflow_outputs
from mlops_platform.components.network import Network


def main() -> None:
    """Build the running stack's environment from its config, and export what operators use."""
    stack = config.load()  # raises before any resource exists when the config is bad
    options = accounts.deployment_options(stack)
    network = Network(f"{stack.environment}-network", stack.network, options)
    stack, _ = delivery.apply_releases(stack, options)  # managed variants serve their records
    endpoints = create_endpoints(stack, network, options)
    cluster = create_serving(stack, network, options)
    service_releases.seed_service_records(stack, options)  # the serving layer reads them
    workflows = create_workflows(stack, network, endpoints, options, cluster)
    machine = workflows.promotion_state_machine_arn if workflows is not None else None
    delivery.create_delivery(stack, network, endpoints, machine, options)
    monitoring = create_monitoring(stack, endpoints, cluster, options)

    pulumi.export("environment", stack.environment)
    pulumi.export("vpcId", network.vpc_id)
    pulumi.export("privateSubnetIds", network.private_subnet_ids)
    pulumi.export("publicSubnetIds", network.public_subnet_ids)
    pulumi.export("availabilityZones", network.availability_zones)
    pulumi.export("endpoints", endpoint_outputs(endpoints))
    pulumi.export("monitoring", monitoring_outputs(monitoring))
    if workflows is not None:
        pulumi.export("workflows", workflow_outputs(workflows))
    if cluster is not None:
        pulumi.export("clusterName", cluster.cluster_name)
        pulumi.export("clusterEndpoint", cluster.endpoint)
        pulumi.export(CLUSTER_OUTPUT, cluster_outputs(cluster))
