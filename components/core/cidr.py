"""Subnet layout of a VPC: pure functions on `ipaddress` networks, tested without Pulumi.

Private subnets are cut from the bottom of the VPC upwards and public subnets from the top
downwards, each at the index of its zone. A subnet's CIDR therefore depends only on the VPC,
its tier's prefix and its zone index: adding a zone later adds subnets and never moves (and so
never replaces) the ones that exist.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal

from mlops_platform.components.core.errors import Problem

Tier = Literal["public", "private"]

AWS_MIN_VPC_PREFIX = 16
"""The largest VPC AWS allows is a /16."""
AWS_MAX_SUBNET_PREFIX = 28
"""The smallest subnet (and VPC) AWS allows is a /28."""
PRIVATE_RANGES = tuple(
    ipaddress.IPv4Network(cidr) for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
"""RFC 1918 ranges; a VPC CIDR must sit inside one of them."""


@dataclass(frozen=True)
class SubnetSlot:
    """Where one subnet goes."""

    tier: Tier
    zone_index: int
    cidr: ipaddress.IPv4Network


def parse_network(field: str, text: object) -> tuple[ipaddress.IPv4Network | None, list[Problem]]:
    """Parse `text` as an IPv4 CIDR block, returning the network or the problem with it."""
    if not isinstance(text, str):
        return None, [Problem(field, text, "must be a CIDR string such as 10.20.0.0/16")]
    try:
        return ipaddress.IPv4Network(text, strict=True), []
    except ipaddress.NetmaskValueError:
        return None, [Problem(field, text, "has an invalid prefix length; allowed /0 to /32")]
    except ValueError as error:
        if "has host bits set" in str(error):
            network = ipaddress.IPv4Network(text, strict=False)
            return None, [Problem(field, text, f"has host bits set; did you mean {network}?")]
        return None, [Problem(field, text, "is not an IPv4 CIDR block such as 10.20.0.0/16")]


def check_vpc_cidr(field: str, network: ipaddress.IPv4Network) -> list[Problem]:
    """Check a VPC CIDR against AWS's size limits and the private address ranges."""
    problems = []
    if not AWS_MIN_VPC_PREFIX <= network.prefixlen <= AWS_MAX_SUBNET_PREFIX:
        problems.append(
            Problem(
                field,
                str(network),
                f"AWS allows VPC prefixes from /{AWS_MIN_VPC_PREFIX} to /{AWS_MAX_SUBNET_PREFIX}",
            )
        )
    if not any(network.subnet_of(private) for private in PRIVATE_RANGES):
        ranges = ", ".join(str(private) for private in PRIVATE_RANGES)
        problems.append(Problem(field, str(network), f"must lie inside a private range ({ranges})"))
    return problems


def check_layout(
    vpc: ipaddress.IPv4Network, az_count: int, public_prefix: int, private_prefix: int
) -> list[Problem]:
    """Check that the subnets of `az_count` zones fit in `vpc` without overlapping."""
    problems = []
    for field, prefix in (
        ("public_subnet_prefix", public_prefix),
        ("private_subnet_prefix", private_prefix),
    ):
        if not vpc.prefixlen < prefix <= AWS_MAX_SUBNET_PREFIX:
            problems.append(
                Problem(
                    field,
                    prefix,
                    f"must be longer than the VPC's /{vpc.prefixlen} and at most "
                    f"/{AWS_MAX_SUBNET_PREFIX}",
                )
            )
    if problems:
        return problems
    needed = az_count * (2 ** (32 - public_prefix) + 2 ** (32 - private_prefix))
    if needed > vpc.num_addresses:
        problems.append(
            Problem(
                "vpc_cidr",
                str(vpc),
                f"too small for {az_count} public /{public_prefix} and {az_count} private "
                f"/{private_prefix} subnets ({needed} addresses needed, {vpc.num_addresses} "
                "available); use a larger VPC or longer subnet prefixes",
            )
        )
    return problems


def layout_subnets(
    vpc: ipaddress.IPv4Network, az_count: int, public_prefix: int, private_prefix: int
) -> list[SubnetSlot]:
    """Lay out one public and one private subnet per zone; call `check_layout` first."""
    problems = check_layout(vpc, az_count, public_prefix, private_prefix)
    if problems:
        raise ValueError("; ".join(str(problem) for problem in problems))
    private_size = 2 ** (32 - private_prefix)
    public_size = 2 ** (32 - public_prefix)
    top = int(vpc.broadcast_address) + 1
    slots = []
    for zone in range(az_count):
        private_start = int(vpc.network_address) + zone * private_size
        public_start = top - (zone + 1) * public_size
        slots.append(
            SubnetSlot("public", zone, ipaddress.IPv4Network((public_start, public_prefix)))
        )
        slots.append(
            SubnetSlot("private", zone, ipaddress.IPv4Network((private_start, private_prefix)))
        )
    return slots


def check_no_overlap(
    vpc: ipaddress.IPv4Network, peer_field: str, peers: list[tuple[int, ipaddress.IPv4Network]]
) -> list[Problem]:
    """Check that no peer network overlaps the VPC or another peer; peers are (index, network)."""
    problems = []
    for index, peer in peers:
        if peer.overlaps(vpc):
            problems.append(
                Problem(
                    f"{peer_field}[{index}]",
                    str(peer),
                    f"overlaps the VPC's {vpc}; routed networks need distinct ranges",
                )
            )
    for position, (index, peer) in enumerate(peers):
        for _, other in peers[:position]:
            if peer.overlaps(other):
                problems.append(
                    Problem(
                        f"{peer_field}[{index}]",
                        str(peer),
                        f"overlaps {other}, listed before it",
                    )
                )
    return problems
