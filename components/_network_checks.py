"""Validation of `NetworkArgs`: every problem, with its field, value and what is allowed."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, get_args

from mlops_platform.components import _cidr, _tags
from mlops_platform.components._logs import check_retention
from mlops_platform.components._routing import NatGateways
from mlops_platform.components.errors import Problem

if TYPE_CHECKING:  # the args class calls these checks; importing it here would be circular
    from mlops_platform.components.network import NetworkArgs


MAX_ZONES = 6
"""No AWS region has more than six availability zones."""

_ZONE_NAME = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d[a-z]$")
_SERVICE_NAME = re.compile(r"^[a-z0-9]+([.-][a-z0-9]+)*$")


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
