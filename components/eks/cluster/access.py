"""What a workload needs of the cluster it runs on, as `GpuCluster.access()` gives it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as kubernetes


@dataclass(frozen=True, kw_only=True)
class ClusterAccess:
    """A cluster as its workloads see it: `ModelService(name, args, cluster.access(), opts)`."""

    oidc_provider_arn: pulumi.Input[str]
    """The cluster's IAM OIDC provider, which service-account roles trust (IRSA)."""
    oidc_issuer_url: pulumi.Input[str]
    """The issuer URL of the cluster's service-account tokens."""
    provider: kubernetes.Provider
    """The Kubernetes provider that reaches the cluster's API."""
    software: Sequence[pulumi.Resource] = ()
    """Cluster software (CRDs, controllers) that must exist before the first object."""

    def options(self) -> pulumi.ResourceOptions:
        """Options of a workload component: the cluster's provider, after its software."""
        return pulumi.ResourceOptions(
            providers={"kubernetes": self.provider}, depends_on=list(self.software)
        )
