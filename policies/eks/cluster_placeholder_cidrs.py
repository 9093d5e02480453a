"""A public cluster endpoint does not list a documentation range as a network that may reach it."""

from __future__ import annotations

import ipaddress

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import EKS_CLUSTER
from mlops_platform.policies.common.values import dig, is_false, text_list

DOCUMENTATION_RANGES = tuple(
    ipaddress.IPv4Network(text) for text in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
)
"""RFC 5737: ranges no real network uses, the committed stack files' placeholders."""

INFO = RuleInfo(
    name="aws-eks-cluster-placeholder-cidrs",
    description="A public EKS API admits real networks, not a documentation-range placeholder.",
    resource_types=(EKS_CLUSTER,),
    severity=Severity.MEDIUM,
    remediation=(
        "Replace the documentation range in mlops:cluster.publicAccessCidrs with your office "
        "or CI egress range; until then nobody can reach the public API."
    ),
)


def _placeholder(text: str) -> bool:
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return isinstance(network, ipaddress.IPv4Network) and any(
        network.subnet_of(documentation) for documentation in DOCUMENTATION_RANGES
    )


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    config = dig(args.props, "vpcConfig")
    if is_false(dig(config, "endpointPublicAccess")):
        return
    for cidr in text_list(dig(config, "publicAccessCidrs")):
        if _placeholder(cidr):
            report(
                f"public_access_cidrs lists {cidr}, a documentation range (RFC 5737) no real "
                "network uses: a placeholder; list your office or CI egress range"
            )


POLICY = ResourceRule(INFO, _check)
