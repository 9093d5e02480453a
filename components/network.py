"""One environment's network: VPC, subnets per zone, NAT, endpoints, flow logs."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import get_args

import pulumi
import pulumi_aws as aws

from components import _cidr, _tags
from components._aws import AwsContext
from components._children import Children
from components._endpoints import create_endpoints
from components._flow_logs import create_flow_logs
from components._routing import NatGateways, route_private, route_public
from components.errors import Problem, raise_if_any

DEFAULT_INTERFACE_ENDPOINTS = (
    "sagemaker.api",
    "sagemaker.runtime",
    "ecr.api",
    "ecr.dkr",
    "sts",
    "logs",
)
"""Services that model hosting reaches privately: SageMaker, image pulls, role sessions, logs."""

FLOW_LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
"""The retention periods CloudWatch Logs accepts."""

MAX_ZONES = 6
"""No AWS region has more than six availability zones."""

_ZONE_NAME = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d[a-z]$")
_SERVICE_NAME = re.compile(r"^[a-z0-9]+([.-][a-z0-9]+)*$")


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
    if args.flow_log_retention_days not in FLOW_LOG_RETENTION_DAYS:
        problems.append(
            Problem(
                "flow_log_retention_days",
                args.flow_log_retention_days,
                "CloudWatch Logs accepts " + ", ".join(map(str, FLOW_LOG_RETENTION_DAYS)),
            )
        )
    for index, service in enumerate(args.interface_endpoints):
        if not isinstance(service, str) or not _SERVICE_NAME.match(service):
            problems.append(
                Problem(
                    f"interface_endpoints[{index}]",
                    service,
                    "a service suffix such as sagemaker.api or ecr.dkr",
                )
            )
    problems += _tags.check_tags("tags", args.tags)
    if vpc is not None:
        problems += _cidr.check_vpc_cidr("vpc_cidr", vpc)
        if isinstance(args.az_count, int) and 1 <= args.az_count <= MAX_ZONES:
            problems += _cidr.check_layout(
                vpc, args.az_count, args.public_subnet_prefix, args.private_subnet_prefix
            )
        problems += _check_peers(vpc, args.peer_cidrs)
    return problems


def _check_zones(args: NetworkArgs) -> list[Problem]:
    if (
        isinstance(args.az_count, bool)
        or not isinstance(args.az_count, int)
        or not (1 <= args.az_count <= MAX_ZONES)
    ):
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


class Network(pulumi.ComponentResource):
    """A VPC with public and private subnets per zone, NAT, private endpoints and flow logs.

    The default security group is stripped of every rule, interface endpoints only admit HTTPS
    from inside the VPC, and no subnet assigns public IP addresses on launch.
    """

    vpc_id: pulumi.Output[str]
    """The VPC's id."""
    vpc_cidr: pulumi.Output[str]
    """The VPC's IPv4 block."""
    availability_zones: pulumi.Output[list[str]]
    """The zones the subnets are in, in zone-index order."""
    public_subnet_ids: pulumi.Output[list[str]]
    """Public subnets, one per zone, in zone-index order."""
    private_subnet_ids: pulumi.Output[list[str]]
    """Private subnets, one per zone, in zone-index order; workloads go here."""
    endpoint_security_group_id: pulumi.Output[str]
    """The security group of the interface endpoints (HTTPS from the VPC only)."""
    flow_log_group_name: pulumi.Output[str]
    """The CloudWatch Logs group holding the VPC flow logs."""

    def __init__(
        self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        """Create the network; `opts` (providers, protect) reach every child."""
        super().__init__("mlops:network:Network", name, None, opts)
        children = Children(name, self, args.tags, args.protect_data)
        context = AwsContext.of(self)
        zones = self._zones(args)
        vpc = aws.ec2.Vpc(
            children.name("vpc"),
            cidr_block=args.vpc_cidr,
            enable_dns_support=True,
            enable_dns_hostnames=True,  # interface endpoints' private DNS needs both
            tags=children.tagged("vpc"),
            opts=children.opts(),
        )
        aws.ec2.DefaultSecurityGroup(
            children.name("default-sg"),
            vpc_id=vpc.id,
            ingress=[],
            egress=[],
            tags=children.tagged("default-sg"),
            opts=children.opts(),
        )
        public, private = _subnets(children, args, vpc, zones)
        nat_ids = route_public(children, vpc, public, args.nat_gateways)
        private_tables = route_private(children, vpc, private, nat_ids)
        endpoint_group = create_endpoints(
            children,
            vpc=vpc,
            context=context,
            services=args.interface_endpoints,
            private=private,
            private_tables=private_tables,
        )
        log_group = create_flow_logs(
            children, vpc=vpc, context=context, retention_days=args.flow_log_retention_days
        )
        self.vpc_id = vpc.id
        self.vpc_cidr = vpc.cidr_block
        self.availability_zones = pulumi.Output.from_input(zones)
        self.public_subnet_ids = pulumi.Output.all(*[subnet.id for subnet in public])
        self.private_subnet_ids = pulumi.Output.all(*[subnet.id for subnet in private])
        self.endpoint_security_group_id = endpoint_group.id
        self.flow_log_group_name = log_group.name
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "vpc_cidr": self.vpc_cidr,
                "availability_zones": self.availability_zones,
                "public_subnet_ids": self.public_subnet_ids,
                "private_subnet_ids": self.private_subnet_ids,
                "endpoint_security_group_id": self.endpoint_security_group_id,
                "flow_log_group_name": self.flow_log_group_name,
            }
        )

    def _zones(self, args: NetworkArgs) -> list[str]:
        """The zones to use, known before any subnet is declared.

        A synchronous look-up, so a region with too few zones fails here with a clear message,
        before any child exists, rather than deep inside a subnet's inputs.
        """
        if args.availability_zones is not None:
            return list(args.availability_zones)
        found = aws.get_availability_zones(
            state="available",
            # Standard zones only: Local and Wavelength Zones lack most instance types.
            filters=[{"name": "opt-in-status", "values": ["opt-in-not-required"]}],
            opts=pulumi.InvokeOptions(parent=self),
        )
        return first_zones(found.names, args.az_count)


def _subnets(
    children: Children, args: NetworkArgs, vpc: aws.ec2.Vpc, zones: list[str]
) -> tuple[list[aws.ec2.Subnet], list[aws.ec2.Subnet]]:
    """One public and one private subnet per zone, laid out by `_cidr.layout_subnets`."""
    layout = _cidr.layout_subnets(
        ipaddress.IPv4Network(args.vpc_cidr),
        args.az_count,
        args.public_subnet_prefix,
        args.private_subnet_prefix,
    )
    subnets: dict[str, list[aws.ec2.Subnet]] = {"public": [], "private": []}
    for slot in layout:
        suffix = f"{slot.tier}-{slot.zone_index}"
        # Tells EKS where to put internet-facing (public) and internal (private) load balancers.
        elb_role = "elb" if slot.tier == "public" else "internal-elb"
        subnet = aws.ec2.Subnet(
            children.name(suffix),
            vpc_id=vpc.id,
            cidr_block=str(slot.cidr),
            availability_zone=zones[slot.zone_index],
            map_public_ip_on_launch=False,
            tags=children.tagged(suffix, Tier=slot.tier, **{f"kubernetes.io/role/{elb_role}": "1"}),
            opts=children.opts(),
        )
        subnets[slot.tier].append(subnet)
    return subnets["public"], subnets["private"]


def first_zones(names: Sequence[str], count: int) -> list[str]:
    """The first `count` zones of a region by name, or a clear error when it has fewer."""
    if len(names) < count:
        raise_if_any(
            "NetworkArgs",
            [
                Problem(
                    "az_count",
                    count,
                    f"the region has only {len(names)} standard zones ({', '.join(names)})",
                )
            ],
        )
    return sorted(names)[:count]
