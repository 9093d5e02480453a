"""`GpuClusterArgs`: what a serving cluster looks like, and its checks."""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mlops_platform.components.core import cidr as _cidr
from mlops_platform.components.core import tags as _tags
from mlops_platform.components.core.docs import documented
from mlops_platform.components.core.errors import Problem, raise_if_any
from mlops_platform.components.core.logs import check_retention
from mlops_platform.components.eks.cluster import software as _cluster_software
from mlops_platform.components.eks.cluster.deployer import DeployerSpec, check_deployer, check_roles
from mlops_platform.components.eks.cluster.node_groups import NodeGroupSpec, check_node_group

SUPPORTED_KUBERNETES_VERSIONS = tuple(_cluster_software.AUTOSCALER_IMAGE_TAGS)
"""Kubernetes versions the platform supports: EKS standard support, with a matching autoscaler."""
DEFAULT_SYSTEM_NODE_GROUP = NodeGroupSpec(
    name="system", instance_types=("m6i.large",), min_size=2, max_size=4
)
"""Two on-demand nodes for cluster software (DNS, Prometheus, controllers), up to four."""
PLACEHOLDER_NETWORKS = tuple(
    ipaddress.IPv4Network(text) for text in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
)
"""The documentation ranges (RFC 5737): a stack file's placeholder, never a real network."""


@documented
@dataclass(frozen=True, kw_only=True)
class GpuClusterArgs:
    """What a serving cluster looks like: version, API access, node groups, logs."""

    gpu_node_groups: Sequence[NodeGroupSpec]
    """One or more GPU node groups; each takes one GPU model, tainted for GPU pods only."""
    kubernetes_version: str = SUPPORTED_KUBERNETES_VERSIONS[-1]
    """Kubernetes minor version, one of `SUPPORTED_KUBERNETES_VERSIONS`; defaults to the newest."""
    system_node_group: NodeGroupSpec = DEFAULT_SYSTEM_NODE_GROUP
    """CPU nodes for cluster software; defaults to two to four on-demand m6i.large."""
    endpoint_public_access: bool = False
    """Open the API endpoint to the internet, from `public_access_cidrs` only. Off by default:
    the API is reached from inside the VPC or its peers."""
    public_access_cidrs: Sequence[str] = ()
    """Networks allowed to reach a public endpoint; required when it is on."""
    private_access_cidrs: Sequence[str] = ()
    """Networks (the VPC's peers, a VPN) allowed to reach the private endpoint over HTTPS."""
    log_retention_days: int = 90
    """How long control-plane logs are kept; one of the periods CloudWatch Logs accepts."""
    admin_role_arns: Sequence[str] = ()
    """Roles granted cluster admin through access entries (operators, break-glass)."""
    viewer_role_arns: Sequence[str] = ()
    """Roles granted read-only access (`AmazonEKSViewPolicy`): CI previews, on-call."""
    deployer: DeployerSpec | None = None
    """The in-VPC CodeBuild deployer of the serving layer; required when the API is private."""
    protect_data: bool = True
    """Protect the cluster, its key and its logs from deletion, and keep them on `destroy`."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags for every taggable AWS child, on top of each child's `Name`."""

    def __post_init__(self) -> None:
        """Reject every problem at once, before any resource exists."""
        raise_if_any("GpuClusterArgs", check_gpu_cluster_args(self))


def check_gpu_cluster_args(args: GpuClusterArgs) -> list[Problem]:
    """Every problem with `args`, each naming the field, the value and what is allowed."""
    problems: list[Problem] = []
    if args.kubernetes_version not in SUPPORTED_KUBERNETES_VERSIONS:
        problems.append(
            Problem(
                "kubernetes_version",
                args.kubernetes_version,
                f"the platform supports {', '.join(SUPPORTED_KUBERNETES_VERSIONS)}",
            )
        )
    problems += _check_access(args)
    problems += check_retention("log_retention_days", args.log_retention_days)
    problems += check_roles("admin_role_arns", args.admin_role_arns)
    problems += check_roles("viewer_role_arns", args.viewer_role_arns)
    if args.deployer is not None:
        problems += check_deployer("deployer", args.deployer)
    elif not args.endpoint_public_access:
        problems.append(
            Problem(
                "deployer",
                None,
                "a private-only API answers only inside the VPC; set a deployer so the serving "
                "layer is applied from there",
            )
        )
    problems += _check_groups(args)
    problems += _tags.check_tags("tags", args.tags)
    return problems


def _check_access(args: GpuClusterArgs) -> list[Problem]:
    problems: list[Problem] = []
    if args.endpoint_public_access and not args.public_access_cidrs:
        problems.append(
            Problem(
                "public_access_cidrs",
                [],
                "a public endpoint needs the networks allowed to reach it; list them",
            )
        )
    if not args.endpoint_public_access and args.public_access_cidrs:
        problems.append(
            Problem(
                "public_access_cidrs",
                list(args.public_access_cidrs),
                "only used with endpoint_public_access; remove them or turn it on",
            )
        )
    for key in ("public_access_cidrs", "private_access_cidrs"):
        networks = []
        for index, text in enumerate(getattr(args, key)):
            network, found = _cidr.parse_network(f"{key}[{index}]", text)
            problems += found
            networks += [network] if network is not None else []
        if _cidr_world(networks):
            problems.append(
                Problem(
                    key,
                    list(getattr(args, key)),
                    "together these admit the whole internet (0.0.0.0/0); list only the "
                    "networks that reach the API",
                )
            )
    return problems


def placeholder_cidrs(args: GpuClusterArgs) -> list[str]:
    """The public access networks that are documentation ranges: placeholders, not networks."""
    return [
        text
        for text in args.public_access_cidrs
        if _is_placeholder(ipaddress.ip_network(text, strict=False))
    ]


def _is_placeholder(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    return isinstance(network, ipaddress.IPv4Network) and any(
        network.subnet_of(placeholder) for placeholder in PLACEHOLDER_NETWORKS
    )


def _cidr_world(networks: Sequence[ipaddress.IPv4Network]) -> bool:
    """Whether the networks together cover every IPv4 address (`0.0.0.0/1` + `128.0.0.0/1`)."""
    return any(n.prefixlen == 0 for n in ipaddress.collapse_addresses(networks))


def _check_groups(args: GpuClusterArgs) -> list[Problem]:
    problems = check_node_group("system_node_group", args.system_node_group, gpu=False)
    if not args.gpu_node_groups:
        problems.append(
            Problem("gpu_node_groups", [], "at least one GPU node group; models are served on it")
        )
    for index, spec in enumerate(args.gpu_node_groups):
        problems += check_node_group(f"gpu_node_groups[{index}]", spec, gpu=True)
    names = Counter(spec.name for spec in args.gpu_node_groups)
    problems += [
        Problem("gpu_node_groups", name, "each group needs its own name")
        for name, count in names.items()
        if count > 1
    ]
    if args.system_node_group.name in names:
        problems.append(
            Problem(
                "system_node_group.name",
                args.system_node_group.name,
                "a GPU group has this name too, so both would carry the label "
                f"mlops/node-group={args.system_node_group.name}; rename one",
            )
        )
    return problems
