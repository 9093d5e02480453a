"""A public cluster endpoint is never open to the whole internet."""

from __future__ import annotations

import ipaddress

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import EKS_CLUSTER
from mlops_platform.policies.common.values import dig, is_false, known_items, raise_first, text_list

INFO = RuleInfo(
    name="aws-eks-cluster-public-access-cidrs",
    description="A public EKS API endpoint admits only listed networks, never 0.0.0.0/0.",
    resource_types=(EKS_CLUSTER,),
    severity=Severity.CRITICAL,
    controls=(Control.fsbp("EKS.1"),),
    remediation=(
        "Set vpc_config.public_access_cidrs to the networks that administer the cluster, or turn "
        "the public endpoint off."
    ),
)


def _is_world(cidr: str) -> bool:
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen == 0
    except ValueError:
        return False


def _covers_world(cidrs: list[str]) -> bool:
    """Whether the IPv4 networks together cover every address (`0.0.0.0/1` + `128.0.0.0/1`)."""
    networks = []
    for cidr in cidrs:
        try:
            network = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            continue
        if isinstance(network, ipaddress.IPv4Network):
            networks.append(network)
    return any(n.prefixlen == 0 for n in ipaddress.collapse_addresses(networks))


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    config = dig(args.props, "vpcConfig")
    if is_false(dig(config, "endpointPublicAccess")):
        return
    items, unknown = known_items(dig(config, "publicAccessCidrs"))
    cidrs = text_list(items)
    if not cidrs and unknown is None:
        report(
            "the public API endpoint is open to 0.0.0.0/0 (the default when "
            "public_access_cidrs is empty); list the networks that may reach it"
        )
    elif any(_is_world(cidr) for cidr in cidrs):
        report("the public API endpoint is open to 0.0.0.0/0; list the networks that may reach it")
    elif _covers_world(cidrs):
        report(
            f"the public API endpoint is open to the whole internet: {', '.join(cidrs)} together "
            "cover 0.0.0.0/0; list the networks that may reach it"
        )
    raise_first(unknown)


POLICY = ResourceRule(INFO, _check)
