"""No security group lets the whole internet reach an administration port."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import ResourceValidationArgs, Severity
from pulumi_policy.proxy import UnknownValueError

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import INGRESS_RULE, SECURITY_GROUP, SECURITY_GROUP_RULE
from mlops_platform.policies.common.values import (
    as_number,
    dig,
    known,
    known_items,
    raise_first,
    text_list,
)

ALL_PROTOCOLS = ("-1", "all")
PORT_PROTOCOLS = ("tcp", "udp", "6", "17", *ALL_PROTOCOLS)

INFO = RuleInfo(
    name="aws-ec2-security-group-no-public-admin-ingress",
    description="Security groups admit no traffic from 0.0.0.0/0 or ::/0 to administration ports.",
    resource_types=(SECURITY_GROUP, SECURITY_GROUP_RULE, INGRESS_RULE),
    severity=Severity.CRITICAL,
    controls=(Control.cis("5.2"), Control.fsbp("EC2.13"), Control.fsbp("EC2.14")),
    remediation=(
        "Restrict the rule's CIDR to known networks, or reach instances through SSM Session "
        "Manager instead of opening SSH or RDP."
    ),
    params={
        "adminPorts": {
            "type": "array",
            "items": {"type": "integer", "minimum": 0, "maximum": 65535},
            "description": "Ports that must never be open to the internet.",
            "default": [22, 3389],
        }
    },
)


def _is_world(cidr: str) -> bool:
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen == 0
    except ValueError:
        return False


def _open_ports(protocol: Any, low: Any, high: Any, ports: Sequence[int]) -> list[int]:
    """The admin ports a rule with this protocol and port range admits."""
    protocol = str(protocol).lower()
    if protocol not in PORT_PROTOCOLS:
        return []
    if protocol in ALL_PROTOCOLS:
        return list(ports)
    start, end = as_number(low), as_number(high)
    if start is None or end is None:
        return []
    return [port for port in ports if start <= port <= end]


Finding = tuple[str | None, UnknownValueError | None]
"""What a rule opens to the internet (None when nothing), and the first unknown value met."""


def _worlds(
    rule: Mapping[str, Any], cidr_keys: tuple[str, ...]
) -> tuple[list[str], list[UnknownValueError | None]]:
    worlds: list[str] = []
    unknowns: list[UnknownValueError | None] = []
    for key in cidr_keys:
        value, unknown = known(rule, key)
        items, unknown_item = known_items(value)
        unknowns += [unknown, unknown_item]
        worlds += [cidr for cidr in text_list(items) if _is_world(cidr)]
    return worlds, unknowns


def _finding(rule: Mapping[str, Any], keys: tuple[str, ...], ports: Sequence[int]) -> Finding:
    """The admin ports this rule opens to the world; an unknown CIDR is not the world."""
    protocol_key, cidr_keys = keys[0], keys[1:]
    worlds, unknowns = _worlds(rule, cidr_keys)
    pending = next((error for error in unknowns if error is not None), None)
    if not worlds:
        return None, pending
    opened = _open_ports(dig(rule, protocol_key), dig(rule, "fromPort"), dig(rule, "toPort"), ports)
    if not opened:
        return None, pending
    noun = "port" if len(opened) == 1 else "ports"
    return f"{noun} {', '.join(map(str, opened))} open to {', '.join(worlds)}", pending


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    ports = [int(port) for port in settings["adminPorts"]]
    if args.resource_type == SECURITY_GROUP:
        rules, pending = known_items(dig(args.props, "ingress"))
        for index, rule in enumerate(rules):
            found, unknown = _finding(rule, ("protocol", "cidrBlocks", "ipv6CidrBlocks"), ports)
            pending = pending or unknown
            if found:
                report(f"ingress rule {index + 1} has {found}; restrict it to known networks")
        raise_first(pending)
        return
    if args.resource_type == SECURITY_GROUP_RULE:
        if dig(args.props, "type") != "ingress":
            return
        found, pending = _finding(args.props, ("protocol", "cidrBlocks", "ipv6CidrBlocks"), ports)
    else:
        found, pending = _finding(args.props, ("ipProtocol", "cidrIpv4", "cidrIpv6"), ports)
    if found:
        report(f"the rule has {found}; restrict it to known networks")
    raise_first(pending)


POLICY = ResourceRule(INFO, _check)
