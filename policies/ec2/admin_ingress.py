"""No security group lets the whole internet reach an administration port."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import INGRESS_RULE, SECURITY_GROUP, SECURITY_GROUP_RULE
from mlops_platform.policies.common.values import as_list, as_number, dig, text_list

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


def _finding(rule: Mapping[str, Any], keys: tuple[str, ...], ports: Sequence[int]) -> str | None:
    protocol_key, cidr_keys = keys[0], keys[1:]
    worlds = [cidr for key in cidr_keys for cidr in text_list(dig(rule, key)) if _is_world(cidr)]
    if not worlds:
        return None
    opened = _open_ports(dig(rule, protocol_key), dig(rule, "fromPort"), dig(rule, "toPort"), ports)
    if not opened:
        return None
    noun = "port" if len(opened) == 1 else "ports"
    return f"{noun} {', '.join(map(str, opened))} open to {', '.join(worlds)}"


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    ports = [int(port) for port in settings["adminPorts"]]
    if args.resource_type == SECURITY_GROUP:
        for index, rule in enumerate(as_list(dig(args.props, "ingress"))):
            found = _finding(rule, ("protocol", "cidrBlocks", "ipv6CidrBlocks"), ports)
            if found:
                report(f"ingress rule {index + 1} has {found}; restrict it to known networks")
        return
    if args.resource_type == SECURITY_GROUP_RULE:
        if dig(args.props, "type") != "ingress":
            return
        found = _finding(args.props, ("protocol", "cidrBlocks", "ipv6CidrBlocks"), ports)
    else:
        found = _finding(args.props, ("ipProtocol", "cidrIpv4", "cidrIpv6"), ports)
    if found:
        report(f"the rule has {found}; restrict it to known networks")


POLICY = ResourceRule(INFO, _check)
