"""Routing of a network: internet gateway, NAT gateways and a route table per tier and zone."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core.children import Children
from mlops_platform.components.network.args import NatGateways


def nat_zone_indices(strategy: NatGateways, az_count: int) -> list[int]:
    """The zones that get a NAT gateway: none, the first, or every one."""
    return {"none": [], "single": [0], "per_az": list(range(az_count))}[strategy]


def nat_for_zone(zone_index: int, nat_zones: list[int]) -> int | None:
    """The NAT gateway a zone's private subnet routes through: its own, else the first one."""
    if not nat_zones:
        return None
    return zone_index if zone_index in nat_zones else nat_zones[0]


def route_public(
    children: Children, vpc: aws.ec2.Vpc, public: list[aws.ec2.Subnet], strategy: NatGateways
) -> dict[int, pulumi.Output[str]]:
    """Route the public subnets to an internet gateway and place the NAT gateways there.

    Returns the NAT gateway id of each zone that has one.
    """
    gateway = aws.ec2.InternetGateway(
        children.name("igw"), vpc_id=vpc.id, tags=children.tagged("igw"), opts=children.opts()
    )
    table = aws.ec2.RouteTable(
        children.name("public-rt"),
        vpc_id=vpc.id,
        tags=children.tagged("public-rt"),
        opts=children.opts(),
    )
    aws.ec2.Route(
        children.name("public-default-route"),
        route_table_id=table.id,
        destination_cidr_block="0.0.0.0/0",
        gateway_id=gateway.id,
        opts=children.opts(),
    )
    for index, subnet in enumerate(public):
        aws.ec2.RouteTableAssociation(
            children.name(f"public-rta-{index}"),
            subnet_id=subnet.id,
            route_table_id=table.id,
            opts=children.opts(),
        )
    nat_ids = {}
    for index in nat_zone_indices(strategy, len(public)):
        address = aws.ec2.Eip(
            children.name(f"nat-eip-{index}"),
            domain="vpc",
            tags=children.tagged(f"nat-eip-{index}"),
            opts=children.opts(),
        )
        nat = aws.ec2.NatGateway(
            children.name(f"nat-{index}"),
            subnet_id=public[index].id,
            allocation_id=address.allocation_id,
            connectivity_type="public",
            tags=children.tagged(f"nat-{index}"),
            # A NAT gateway needs the internet gateway attached before it can route.
            opts=children.opts(depends_on=[gateway]),
        )
        nat_ids[index] = nat.id
    return nat_ids


def route_private(
    children: Children,
    vpc: aws.ec2.Vpc,
    private: list[aws.ec2.Subnet],
    nat_ids: dict[int, pulumi.Output[str]],
) -> list[aws.ec2.RouteTable]:
    """Give each private subnet its own route table, defaulting to its zone's NAT gateway."""
    tables = []
    for index, subnet in enumerate(private):
        table = aws.ec2.RouteTable(
            children.name(f"private-rt-{index}"),
            vpc_id=vpc.id,
            tags=children.tagged(f"private-rt-{index}"),
            opts=children.opts(),
        )
        aws.ec2.RouteTableAssociation(
            children.name(f"private-rta-{index}"),
            subnet_id=subnet.id,
            route_table_id=table.id,
            opts=children.opts(),
        )
        nat_index = nat_for_zone(index, sorted(nat_ids))
        if nat_index is not None:
            aws.ec2.Route(
                children.name(f"private-default-route-{index}"),
                route_table_id=table.id,
                destination_cidr_block="0.0.0.0/0",
                nat_gateway_id=nat_ids[nat_index],
                opts=children.opts(),
            )
        tables.append(table)
    return tables
