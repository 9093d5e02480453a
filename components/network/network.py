"""One environment's network: VPC, subnets per zone, NAT, endpoints, flow logs."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import cidr as _cidr
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children, register_outputs
from mlops_platform.components.core.errors import Problem, raise_if_any
from mlops_platform.components.core.placement import Placement
from mlops_platform.components.network._flow_logs import create_flow_logs
from mlops_platform.components.network._routing import route_private, route_public
from mlops_platform.components.network._vpc_endpoints import create_endpoints
from mlops_platform.components.network.args import NetworkArgs

OUTPUTS = (
    "vpc_id",
    "vpc_cidr",
    "availability_zones",
    "public_subnet_ids",
    "private_subnet_ids",
    "endpoint_security_group_id",
    "workload_security_group_id",
    "flow_log_group_name",
)
"""The outputs every instance registers, by attribute name."""


class Network(pulumi.ComponentResource):
    """A VPC with public and private subnets per zone, NAT, private endpoints and flow logs.

    The default security group is stripped of every rule, interface endpoints only admit HTTPS
    from inside the VPC, a workload security group reaches AWS through the endpoints and nothing
    else, and no subnet assigns public IP addresses on launch.
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
    workload_security_group_id: pulumi.Output[str]
    """A security group for private workloads that may reach AWS only through the endpoints:
    no ingress; HTTPS out to the interface endpoints and to S3 through the gateway endpoint."""
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
        groups = create_endpoints(
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
        self.endpoint_security_group_id = groups.endpoints.id
        self.workload_security_group_id = groups.workloads.id
        self.flow_log_group_name = log_group.name
        register_outputs(self, OUTPUTS)

    def placement(self) -> Placement:
        """Where private workloads go: the private subnets and the workload security group."""
        return Placement(
            vpc_id=self.vpc_id,
            subnet_ids=self.private_subnet_ids,
            security_group_ids=[self.workload_security_group_id],
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
