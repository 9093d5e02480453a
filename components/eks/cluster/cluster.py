"""An EKS cluster for model serving: control plane, node groups, access, in-VPC deployer.

This is the platform layer's half of a cluster: every resource is created through AWS's
public APIs, none through the Kubernetes API, so it deploys from anywhere. The cluster
software and the workloads (`ClusterSoftware`, `ModelService`) belong to the serving layer,
which the deployer created here applies from inside the VPC.
"""

from __future__ import annotations

import pulumi

from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children, register_outputs
from mlops_platform.components.core.errors import raise_if_any
from mlops_platform.components.core.placement import Placement
from mlops_platform.components.eks.cluster._addons import network_addons, node_addons
from mlops_platform.components.eks.cluster._control_plane import (
    ControlPlaneSettings,
    create_control_plane,
)
from mlops_platform.components.eks.cluster._deployer import (
    DeployerTarget,
    create_deployer,
    grant_access,
)
from mlops_platform.components.eks.cluster._node_resources import node_group, node_role
from mlops_platform.components.eks.cluster.args import GpuClusterArgs
from mlops_platform.components.eks.cluster.deployer import access_grants
from mlops_platform.components.eks.names import check_cluster_names

OUTPUTS = (
    "cluster_name",
    "cluster_arn",
    "api_security_group_id",
    "endpoint",
    "certificate_authority",
    "oidc_provider_arn",
    "oidc_issuer_url",
    "node_role_arn",
    "deployer_project",
    "deployer_role_arn",
    "deployer_source",
)
"""The outputs every instance registers, by attribute name."""


class GpuCluster(pulumi.ComponentResource):
    """An EKS cluster in private subnets, with GPU node groups, explicit access and a deployer.

    Secrets are envelope-encrypted with a rotating key, every control-plane log is kept for a
    set period, nodes require IMDSv2 and encrypt their disks. Nobody gets access implicitly:
    the listed roles and the in-VPC deployer get EKS access entries, each with one policy.
    """

    cluster_name: pulumi.Output[str]
    """The EKS cluster's name."""
    cluster_arn: pulumi.Output[str]
    """The EKS cluster's ARN, for grants scoped to this cluster (`eks:DescribeCluster`)."""
    api_security_group_id: pulumi.Output[str]
    """The security group of the private API endpoint: in-VPC clients (the deployer, the
    promotion verifier) get an ingress rule on it from their own group."""
    endpoint: pulumi.Output[str]
    """The Kubernetes API endpoint."""
    certificate_authority: pulumi.Output[str]
    """The API's certificate authority, base64-encoded, as a kubeconfig takes it."""
    oidc_provider_arn: pulumi.Output[str]
    """The IAM OIDC provider that service-account roles trust."""
    oidc_issuer_url: pulumi.Output[str]
    """The cluster's OIDC issuer URL."""
    node_role_arn: pulumi.Output[str]
    """The role every node assumes."""
    deployer_project: pulumi.Output[str] | None
    """The CodeBuild project that applies the serving layer; None without a deployer."""
    deployer_role_arn: pulumi.Output[str] | None
    """The deployer's role, which holds the cluster-admin access entry."""
    deployer_source: pulumi.Output[str] | None
    """`bucket/key` where the deployer reads the source archive of the serving layer."""

    def __init__(
        self,
        name: str,
        args: GpuClusterArgs,
        placement: Placement,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Create the cluster in `placement`'s VPC and subnets; `opts` reach every child."""
        raise_if_any(
            "GpuCluster",
            check_cluster_names(
                name, [g.name for g in args.gpu_node_groups], args.system_node_group.name
            ),
        )
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
        node_addons(children, plane, groups[args.system_node_group.name])
        grant_access(
            children,
            context,
            plane.cluster,
            access_grants(args.admin_role_arns, args.viewer_role_arns),
        )
        self.deployer_project = self.deployer_role_arn = self.deployer_source = None
        if args.deployer is not None:
            deployer = create_deployer(
                children,
                context,
                args.deployer,
                DeployerTarget(
                    vpc_id=placement.vpc_id,
                    subnet_ids=placement.subnet_ids,
                    cluster=plane.cluster,
                    api_security_group=plane.api_security_group,
                    log_retention_days=args.log_retention_days,
                ),
            )
            self.deployer_project = deployer.project.name
            self.deployer_role_arn = deployer.role.arn
            self.deployer_source = deployer.source
        self.cluster_name = plane.cluster.name
        self.cluster_arn = plane.cluster.arn
        self.api_security_group_id = plane.api_security_group.id
        self.endpoint = plane.cluster.endpoint
        self.certificate_authority = plane.cluster.certificate_authority.apply(
            lambda ca: ca.data or ""
        )
        self.oidc_provider_arn = plane.oidc_provider.arn
        self.oidc_issuer_url = plane.issuer_url
        self.node_role_arn = role.arn
        register_outputs(self, OUTPUTS)


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
