"""An EKS cluster for model serving: GPU node groups and the software that serves on them."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as kubernetes

from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children, register_outputs
from mlops_platform.components.core.placement import Placement
from mlops_platform.components.eks.cluster import software as _cluster_software
from mlops_platform.components.eks.cluster._addons import network_addons, node_addons
from mlops_platform.components.eks.cluster._control_plane import (
    ControlPlaneSettings,
    create_control_plane,
)
from mlops_platform.components.eks.cluster._kubeconfig import kubeconfig
from mlops_platform.components.eks.cluster._node_resources import node_group, node_role
from mlops_platform.components.eks.cluster.access import ClusterAccess
from mlops_platform.components.eks.cluster.args import GpuClusterArgs

OUTPUTS = (
    "cluster_name",
    "endpoint",
    "oidc_provider_arn",
    "oidc_issuer_url",
    "node_role_arn",
    "kubeconfig",
)
"""The outputs every instance registers, by attribute name."""


class GpuCluster(pulumi.ComponentResource):
    """An EKS cluster in private subnets, with GPU node groups and the serving software.

    Secrets are envelope-encrypted with a rotating key, every control-plane log is kept for a
    set period, nodes require IMDSv2 and encrypt their disks, and the Kubernetes provider is
    built from the cluster's own endpoint, so the cluster software installs in the same run.
    """

    cluster_name: pulumi.Output[str]
    """The EKS cluster's name."""
    endpoint: pulumi.Output[str]
    """The Kubernetes API endpoint."""
    oidc_provider_arn: pulumi.Output[str]
    """The IAM OIDC provider that service-account roles trust."""
    oidc_issuer_url: pulumi.Output[str]
    """The cluster's OIDC issuer URL."""
    node_role_arn: pulumi.Output[str]
    """The role every node assumes."""
    kubeconfig: pulumi.Output[str]
    """A kubeconfig that authenticates through `aws eks get-token`."""
    provider: kubernetes.Provider
    """The Kubernetes provider for workloads on this cluster."""
    software: list[pulumi.Resource]
    """The Helm releases of the cluster software, which workloads wait for."""

    def __init__(
        self,
        name: str,
        args: GpuClusterArgs,
        placement: Placement,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Create the cluster in `placement`'s VPC and subnets; `opts` reach every child."""
        super().__init__("mlops:eks:GpuCluster", name, None, opts)
        children = Children(name, self, args.tags, args.protect_data)
        context = AwsContext.of(self)
        plane = create_control_plane(children, context, _control_plane_settings(args, placement))
        before_nodes = network_addons(children, context, plane)
        role, role_parts = node_role(children, context.partition)
        groups = {
            spec.name: node_group(
                children,
                spec,
                gpu=gpu,
                cluster=plane.cluster,
                role=role,
                subnet_ids=placement.subnet_ids,
                depends_on=[*role_parts, *before_nodes],
            )
            for spec, gpu in [
                (args.system_node_group, False),
                *((spec, True) for spec in args.gpu_node_groups),
            ]
        }
        system = groups[args.system_node_group.name]
        dns = node_addons(children, plane, system)
        self.kubeconfig = kubeconfig(
            plane.cluster.name,
            plane.cluster.endpoint,
            plane.cluster.certificate_authority.apply(lambda ca: ca.data or ""),
            context.region,
            args.kubernetes_api_role_arn,
        )
        self.provider = kubernetes.Provider(
            children.name("kubernetes"),
            kubeconfig=self.kubeconfig,
            enable_server_side_apply=True,
            opts=children.opts(),
        )
        self.software = list(
            _cluster_software.install(
                children,
                context=context,
                plane=plane,
                kubernetes_version=args.kubernetes_version,
                provider=self.provider,
                depends_on=[system, *dns],
            )
        )
        self.cluster_name = plane.cluster.name
        self.endpoint = plane.cluster.endpoint
        self.oidc_provider_arn = plane.oidc_provider.arn
        self.oidc_issuer_url = plane.issuer_url
        self.node_role_arn = role.arn
        register_outputs(self, OUTPUTS)

    def access(self) -> ClusterAccess:
        """What a workload on this cluster needs: OIDC provider, Kubernetes provider, software."""
        return ClusterAccess(
            oidc_provider_arn=self.oidc_provider_arn,
            oidc_issuer_url=self.oidc_issuer_url,
            provider=self.provider,
            software=tuple(self.software),
        )


def _control_plane_settings(args: GpuClusterArgs, placement: Placement) -> ControlPlaneSettings:
    return ControlPlaneSettings(
        kubernetes_version=args.kubernetes_version,
        vpc_id=placement.vpc_id,
        subnet_ids=placement.subnet_ids,
        endpoint_public_access=args.endpoint_public_access,
        public_access_cidrs=args.public_access_cidrs,
        private_access_cidrs=args.private_access_cidrs,
        log_retention_days=args.log_retention_days,
    )
