"""The serving layer's monitoring: kube-prometheus-stack, DCGM, dashboards and rules as code.

It reads the environment's alerting topic and its key from the platform stack's `monitoring`
output, and watches every model service of the stack file.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi

from infra.config import StackConfig
from mlops_platform.components.eks import ClusterAccess, ClusterMonitoring, ClusterMonitoringArgs
from mlops_platform.components.observability.dashboards import ServiceTarget

MONITORING_OUTPUT = "monitoring"
"""The platform stack output with `alertTopicArn` and `alertKeyArn`."""


def create_cluster_monitoring(
    stack: StackConfig,
    reference: pulumi.StackReference,
    access: ClusterAccess,
    services: Sequence[pulumi.Resource],
    options: pulumi.ResourceOptions,
) -> ClusterMonitoring | None:
    """The monitoring stack on the stack's cluster; None when the stack has no cluster.

    `services` create the namespaces the services' alert rules go into.
    """
    if stack.cluster is None:
        return None
    watched = reference.require_output(MONITORING_OUTPUT)
    targets = [
        # ModelService runs each service in a namespace of its name, behind a Service and a
        # Rollout of the same name.
        ServiceTarget(cluster_name="", namespace=name, service_name=name, rollout_name=name)
        for name in (service.service_name for service in stack.services)
    ]
    monitoring = ClusterMonitoring(
        f"{stack.environment}-serving-monitoring",
        ClusterMonitoringArgs(
            topic_arn=watched["alertTopicArn"],
            topic_key_arn=watched["alertKeyArn"],
            gpu_node_groups=stack.cluster.gpu_node_groups,
            services=targets,
            spec=stack.monitoring,
            tags=stack.tags,
        ),
        access,
        pulumi.ResourceOptions.merge(options, pulumi.ResourceOptions(depends_on=list(services))),
    )
    pulumi.export("grafana", {"url": monitoring.grafana_url,
                              "adminSecret": monitoring.grafana_admin_secret})  # fmt: skip
    return monitoring
