"""The serving layer's half of a cluster: its Kubernetes provider and the cluster software."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_kubernetes as kubernetes

from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children, register_outputs
from mlops_platform.components.core.errors import raise_if_any
from mlops_platform.components.eks.cluster import software as _software
from mlops_platform.components.eks.cluster._kubeconfig import kubeconfig
from mlops_platform.components.eks.cluster.access import ClusterAccess
from mlops_platform.components.eks.cluster.software import PlatformCluster
from mlops_platform.components.eks.names import check_software_names

OUTPUTS = ("kubeconfig",)
"""The outputs every instance registers, by attribute name."""


class ClusterSoftware(pulumi.ComponentResource):
    """The Helm releases every serving cluster runs, on a cluster the platform layer created.

    Applied from inside the VPC (the platform layer's deployer), so a private-only API is
    reachable; the Kubernetes provider signs with the caller's credentials, never a role.
    """

    kubeconfig: pulumi.Output[str]
    """A kubeconfig that authenticates through `aws eks get-token`."""
    provider: kubernetes.Provider
    """The Kubernetes provider for workloads on this cluster."""
    software: list[pulumi.Resource]
    """The Helm releases, which workloads wait for."""

    def __init__(
        self,
        name: str,
        cluster: PlatformCluster,
        tags: Mapping[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Install the software on `cluster`; `opts` reach every child."""
        raise_if_any(
            "ClusterSoftware",
            check_software_names(name, [chart.release for chart in _software.CHARTS.values()]),
        )
        super().__init__("mlops:eks:ClusterSoftware", name, None, opts)
        children = Children(name, self, tags, protect_data=False)
        context = AwsContext.of(self)
        self.kubeconfig = kubeconfig(
            cluster.cluster_name, cluster.endpoint, cluster.certificate_authority, context.region
        )
        self.provider = kubernetes.Provider(
            children.name("kubernetes"),
            kubeconfig=self.kubeconfig,
            enable_server_side_apply=True,
            opts=children.opts(),
        )
        self._cluster = cluster
        self.software = list(
            _software.install(children, context=context, cluster=cluster, provider=self.provider)
        )
        register_outputs(self, OUTPUTS)

    def access(self) -> ClusterAccess:
        """What a workload on this cluster needs: OIDC provider, Kubernetes provider, software."""
        return ClusterAccess(
            oidc_provider_arn=self._cluster.oidc_provider_arn,
            oidc_issuer_url=self._cluster.oidc_issuer_url,
            provider=self.provider,
            software=tuple(self.software),
        )
