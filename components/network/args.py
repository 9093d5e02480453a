"""`NetworkArgs`, the shape of one environment's network, and its checks."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from mlops_platform.components.core import cidr as _cidr
from mlops_platform.components.core import tags as _tags
from mlops_platform.components.core.checks import is_whole_in, repeated
from mlops_platform.components.core.docs import documented
from mlops_platform.components.core.errors import Problem, raise_if_any
from mlops_platform.components.core.logs import check_retention

NatGateways = Literal["none", "single", "per_az"]
"""`none`: private subnets reach AWS only through endpoints; `single`: one NAT gateway shared
by every zone (cheap, but its zone's outage cuts every zone's egress); `per_az`: one per zone."""

MAX_ZONES = 6
"""No AWS region has more than six availability zones."""

_ZONE_NAME = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d[a-z]$")
_SERVICE_NAME = re.compile(r"^[a-z0-9]+([.-][a-z0-9]+)*$")


DEFAULT_INTERFACE_ENDPOINTS = (
    "sagemaker.api",
    "sagemaker.runtime",
    "ecr.api",
    "ecr.dkr",
    "sts",
    "logs",
)
"""Services that model hosting reaches privately: SageMaker, image pulls, role sessions, logs."""


@documented
@dataclass(frozen=True, kw_only=True)
class NetworkArgs:
    """The shape of one environment's network."""

    vpc_cidr: str
    """The VPC's IPv4 block, /16 to /28, inside an RFC 1918 range."""
    az_count: int = 2
    """How many availability zones get a public and a private subnet; 1 to 6."""
    availability_zones: Sequence[str] | None = None
    """Pin the zones by name; defaults to the region's first `az_count` standard zones."""
    nat_gateways: NatGateways = "per_az"
    """NAT strategy; defaults to one gateway per zone so a zone outage cannot cut egress."""
    public_subnet_prefix: int = 24
    """Prefix length of each public subnet (load balancers and NAT gateways only)."""
    private_subnet_prefix: int = 19
    """Prefix length of each private subnet; large, because EKS pods take VPC addresses."""
    interface_endpoints: Sequence[str] = DEFAULT_INTERFACE_ENDPOINTS
    """Services (`sagemaker.api`) reached through interface endpoints in the private subnets."""
    flow_log_retention_days: int = 365
    """How long flow logs are kept; one of the periods CloudWatch Logs accepts."""
    peer_cidrs: Sequence[str] = ()
    """Networks this VPC will route to (other environments, on-premises); none may overlap it."""
    protect_data: bool = True
    """Protect the flow-log key and log group from deletion and keep them on `destroy`."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags for every taggable child, on top of each child's `Name`."""

    def __post_init__(self) -> None:
        """Reject every problem at once, before any resource exists."""
        raise_if_any("NetworkArgs", check_network_args(self))


def check_network_args(args: NetworkArgs) -> list[Problem]:
    """Every problem with `args`, each naming the field, the value and what is allowed."""
    problems: list[Problem] = []
    vpc, cidr_problems = _cidr.parse_network("vpc_cidr", args.vpc_cidr)
    problems += cidr_problems
    problems += _check_zones(args)
    if args.nat_gateways not in get_args(NatGateways):
        problems.append(
            Problem(
                "nat_gateways", args.nat_gateways, f"allowed: {', '.join(get_args(NatGateways))}"
            )
        )
    problems += check_retention("flow_log_retention_days", args.flow_log_retention_days)
    for index, service in enumerate(args.interface_endpoints):
        if not isinstance(service, str) or not _SERVICE_NAME.match(service):
            problems.append(
                Problem(
                    f"interface_endpoints[{index}]",
                    service,
                    "a service suffix such as sagemaker.api or ecr.dkr",
                )
            )
    problems += repeated("interface_endpoints", list(args.interface_endpoints), "services")
    problems += _tags.check_tags("tags", args.tags)
    if vpc is not None:
        problems += _cidr.check_vpc_cidr("vpc_cidr", vpc)
        if is_whole_in(args.az_count, 1, MAX_ZONES):
            problems += _cidr.check_layout(
                vpc, args.az_count, args.public_subnet_prefix, args.private_subnet_prefix
            )
        problems += _check_peers(vpc, args.peer_cidrs)
    return problems


def _check_zones(args: NetworkArgs) -> list[Problem]:
    if not is_whole_in(args.az_count, 1, MAX_ZONES):
        return [Problem("az_count", args.az_count, f"a whole number from 1 to {MAX_ZONES}")]
    if args.availability_zones is None:
        return []
    zones = list(args.availability_zones)
    problems = []
    if len(zones) != args.az_count:
        problems.append(
            Problem(
                "availability_zones",
                zones,
                f"must name exactly {args.az_count} zones, one per zone counted",
            )
        )
    if len(set(zones)) != len(zones):
        problems.append(Problem("availability_zones", zones, "each zone may appear once"))
    problems += [
        Problem(f"availability_zones[{index}]", zone, "a zone name such as eu-west-1a")
        for index, zone in enumerate(zones)
        if not isinstance(zone, str) or not _ZONE_NAME.match(zone)
    ]
    return problems


def _check_peers(vpc: ipaddress.IPv4Network, peer_cidrs: Sequence[str]) -> list[Problem]:
    problems: list[Problem] = []
    peers = []
    for index, text in enumerate(peer_cidrs):
        peer, peer_problems = _cidr.parse_network(f"peer_cidrs[{index}]", text)
        problems += peer_problems
        if peer is not None:
            peers.append((index, peer))
    return problems + _cidr.check_no_overlap(vpc, "peer_cidrs", peers)


def check_zones_in_region(zones: Sequence[str] | None, region: str) -> list[Problem]:
    """Pinned zones must be zones of the region the network is built in (`eu-west-1a`)."""
    return [
        Problem(
            f"availability_zones[{index}]",
            zone,
            f"a zone of {region}, the stack's region, such as {region}a",
        )
        for index, zone in enumerate(zones or ())
        if isinstance(zone, str) and _ZONE_NAME.match(zone) and zone[:-1] != region
    ]
