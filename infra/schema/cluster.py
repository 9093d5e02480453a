"""`mlops:cluster`: the stack's EKS serving cluster; unset keys take the component defaults."""

from __future__ import annotations

from typing import Any

from pydantic import field_validator

from infra import pack_limits
from infra.schema import Section, StackContext, values_of
from mlops_platform.components.core import Problem
from mlops_platform.components.eks import GpuClusterArgs
from mlops_platform.components.eks.cluster.args import SUPPORTED_KUBERNETES_VERSIONS
from mlops_platform.components.eks.cluster.deployer import DeployerSpec
from mlops_platform.components.eks.cluster.node_groups import (
    CapacityType,
    NodeGroupSpec,
    Taint,
    TaintEffect,
)

VERSION_RULE = "aws-eks-cluster-supported-version"
ENDPOINT_RULE = "aws-eks-cluster-private-endpoint"


class TaintSettings(Section):
    """A taint on every node of a group."""

    key: str
    """The taint's key, e.g. nvidia.com/gpu."""
    value: str = ""
    """The taint's value."""
    effect: TaintEffect = "NO_SCHEDULE"
    """NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE."""


class NodeGroupSettings(Section):
    """One managed node group; sizes and GPU rules are checked by `GpuClusterArgs`."""

    name: str
    """Short name of the group, e.g. a10g."""
    instance_types: list[str]
    """Instance types, most preferred first."""
    min_size: int
    """Fewest nodes (dev GPU groups: 0)."""
    max_size: int
    """Most nodes the autoscaler may start."""
    desired_size: int | None = None
    """Nodes at creation (default: minSize)."""
    capacity_type: CapacityType | None = None
    """ON_DEMAND (default) or SPOT."""
    disk_size_gib: int | None = None
    """Root volume size in GiB (default 100)."""
    taints: list[TaintSettings] | None = None
    """Taints (GPU groups default to nvidia.com/gpu=true:NoSchedule)."""
    labels: dict[str, str] | None = None
    """Extra node labels."""

    def spec(self) -> NodeGroupSpec:
        """The component's node-group spec from the keys that are set."""
        fields: dict[str, Any] = values_of(self, "taints")
        if self.taints is not None:
            fields["taints"] = [Taint(**values_of(taint)) for taint in self.taints]
        return NodeGroupSpec(**fields)


class DeployerSettings(Section):
    """The in-VPC CodeBuild deployer that applies the serving layer."""

    backend_url: str
    """The Pulumi state backend (s3://bucket); source archives go under <backend>/sources/."""
    secrets_key_arn: str | None = None
    """KMS key of the stacks' awskms:// secrets provider, when they hold secrets."""
    pulumi_version: str | None = None
    """Pulumi CLI version the build installs (default 3.272.0)."""


class ClusterSettings(Section):
    """Keys of `mlops:cluster`."""

    kubernetes_version: str | None = None
    """Kubernetes minor version, quoted, e.g. "1.33"; unset, the newest the platform supports."""
    gpu_node_groups: list[NodeGroupSettings]
    """One or more GPU node groups."""
    system_node_group: NodeGroupSettings | None = None
    """CPU nodes for cluster software (default: 2-4 m6i.large)."""
    endpoint_public_access: bool | None = None
    """Open the API endpoint to publicAccessCidrs (default false)."""
    public_access_cidrs: list[str] | None = None
    """Networks allowed to reach a public endpoint; never 0.0.0.0/0 in prod."""
    private_access_cidrs: list[str] | None = None
    """Networks allowed to reach the private endpoint (peers, VPN)."""
    log_retention_days: int | None = None
    """Days to keep control-plane logs (default 90)."""
    admin_role_arns: list[str] | None = None
    """Roles granted cluster admin through EKS access entries (operators, break-glass)."""
    viewer_role_arns: list[str] | None = None
    """Roles granted read-only access (AmazonEKSViewPolicy): CI previews, on-call."""
    deployer: DeployerSettings | None = None
    """The in-VPC deployer of the serving layer; required when the API is private."""

    @field_validator("kubernetes_version", mode="before")
    @classmethod
    def _quoted(cls, value: object) -> object:
        if isinstance(value, int | float) and not isinstance(value, bool):
            written = f"{value:.2f}" if isinstance(value, float) else f"{value}"
            raise ValueError(f'quote the version ("{written}"); YAML reads 1.30 as the number 1.3')
        return value


def build(settings: ClusterSettings, context: StackContext) -> GpuClusterArgs:
    """The cluster's args; the program places it in the stack's network."""
    fields: dict[str, Any] = values_of(settings, "gpu_node_groups", "system_node_group", "deployer")
    if settings.system_node_group is not None:
        fields["system_node_group"] = settings.system_node_group.spec()
    if settings.deployer is not None:
        fields["deployer"] = DeployerSpec(
            **settings.deployer.model_dump(exclude_none=True),
            serving_prefix=f"{context.environment}-serving",
        )
    return GpuClusterArgs(
        **fields,
        gpu_node_groups=[group.spec() for group in settings.gpu_node_groups],
        tags=context.tags,
        protect_data=context.protect_data,
    )


def pack_rules(args: GpuClusterArgs, environment: str | None) -> list[Problem]:
    """What the pack enforces as mandatory in `environment`, with the pack's own limits."""
    problems = []
    versions = pack_limits.parameter(environment, VERSION_RULE, "supportedVersions")
    if versions is not None and args.kubernetes_version not in versions:
        both = [v for v in SUPPORTED_KUBERNETES_VERSIONS if v in versions]
        problems.append(
            Problem(
                "kubernetes_version",
                args.kubernetes_version,
                f"the pack ({VERSION_RULE}) demands one of {', '.join(versions)} in "
                f"{environment}; use {' or '.join(both)}",
            )
        )
    allowed = pack_limits.parameter(environment, ENDPOINT_RULE, "allowPublicEndpoint")
    if allowed is False and args.endpoint_public_access:
        problems.append(
            Problem(
                "endpoint_public_access",
                True,
                f"the pack ({ENDPOINT_RULE}) forbids a public API endpoint in {environment}; "
                "reach the API from the VPC or its peers",
            )
        )
    return problems


def environment_rules(args: GpuClusterArgs, context: StackContext) -> list[Problem]:
    """Prod: API never open to the internet, GPUs on demand. Dev: idle GPU groups cost nothing."""
    problems = pack_rules(args, context.environment)
    if context.environment == "prod":
        problems += [
            Problem(
                f"gpu_node_groups[{index}].capacity_type",
                group.capacity_type,
                "prod serves from ON_DEMAND nodes; spot nodes can be reclaimed mid-request",
            )
            for index, group in enumerate(args.gpu_node_groups)
            if group.capacity_type != "ON_DEMAND"
        ]
    if context.environment == "dev":
        problems += [
            Problem(
                f"gpu_node_groups[{index}].min_size",
                group.min_size,
                "dev keeps GPU groups at 0 nodes when idle, so they cost nothing; set 0",
            )
            for index, group in enumerate(args.gpu_node_groups)
            if group.min_size != 0
        ]
    return problems
