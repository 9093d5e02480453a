"""The private API endpoint is reached from listed networks, never from the whole internet."""

from __future__ import annotations

import ipaddress

from pulumi_policy import PolicyResource, Severity, StackValidationArgs

from mlops_platform.policies.common.rule import (
    Control,
    RuleInfo,
    Settings,
    StackReport,
    StackRule,
)
from mlops_platform.policies.common.stack import describe, linked, of_type
from mlops_platform.policies.common.types import EKS_CLUSTER, INGRESS_RULE, SECURITY_GROUP
from mlops_platform.policies.common.values import as_number, dig

HTTPS = 443

INFO = RuleInfo(
    name="aws-eks-cluster-private-access-cidrs",
    description=(
        "Security groups of an EKS API endpoint admit HTTPS from listed networks only, "
        "never from networks that together make 0.0.0.0/0."
    ),
    resource_types=(EKS_CLUSTER, SECURITY_GROUP, INGRESS_RULE),
    severity=Severity.HIGH,
    controls=(Control.fsbp("EKS.1"),),
    remediation=(
        "List only the peers and VPN networks that reach the API in private_access_cidrs; a "
        "private endpoint open to every address is a public one."
    ),
)


def _admits_https(rule: PolicyResource) -> bool:
    protocol = str(dig(rule.props, "ipProtocol")).lower()
    if protocol in ("-1", "all"):
        return True
    low, high = as_number(dig(rule.props, "fromPort")), as_number(dig(rule.props, "toPort"))
    return (
        protocol in ("tcp", "6") and low is not None and high is not None and low <= HTTPS <= high
    )


def _networks(rules: list[PolicyResource]) -> list[ipaddress.IPv4Network]:
    networks = []
    for rule in rules:
        try:
            networks.append(ipaddress.IPv4Network(str(dig(rule.props, "cidrIpv4")), strict=False))
        except ValueError:
            continue
    return networks


def _check(args: StackValidationArgs, _settings: Settings, report: StackReport) -> None:
    groups = of_type(args.resources, SECURITY_GROUP)
    rules = of_type(args.resources, INGRESS_RULE)
    for cluster in of_type(args.resources, EKS_CLUSTER):
        for group in linked(cluster, "vpcConfig", groups):
            admitted = [
                rule
                for rule in rules
                if linked(rule, "securityGroupId", [group]) and _admits_https(rule)
            ]
            networks = _networks(admitted)
            if any(n.prefixlen == 0 for n in ipaddress.collapse_addresses(networks)):
                report(
                    f"{describe(group)} admits HTTPS to the API of {describe(cluster)} from "
                    f"the whole internet ({', '.join(str(n) for n in networks)}); list only the "
                    "networks that reach the API",
                    group.urn,
                )


POLICY = StackRule(INFO, _check)
