"""`mlops:network`: the stack's VPC. Unset keys take the `NetworkArgs` defaults."""

from __future__ import annotations

from infra.schema import Section, StackContext, values_of
from mlops_platform.components.core import Problem
from mlops_platform.components.network import NatGateways, NetworkArgs


class NetworkSettings(Section):
    """Keys of `mlops:network`; ranges and CIDR rules are checked by `NetworkArgs`."""

    vpc_cidr: str
    """The VPC's IPv4 block, e.g. 10.30.0.0/16."""
    az_count: int | None = None
    """How many availability zones (default 2)."""
    availability_zones: list[str] | None = None
    """Pin zones by name instead of taking the region's first ones."""
    nat_gateways: NatGateways | None = None
    """`none`, `single` or `per_az` (default `per_az`)."""
    public_subnet_prefix: int | None = None
    """Prefix length of each public subnet (default 24)."""
    private_subnet_prefix: int | None = None
    """Prefix length of each private subnet (default 19)."""
    interface_endpoints: list[str] | None = None
    """Services reached through interface endpoints (default: SageMaker, ECR, STS, Logs)."""
    flow_log_retention_days: int | None = None
    """Days to keep flow logs (default 365)."""
    peer_cidrs: list[str] | None = None
    """Networks this VPC routes to; none may overlap it."""


def build(settings: NetworkSettings, context: StackContext) -> NetworkArgs:
    """The network's args: the keys that are set, the stack's tags and data protection."""
    return NetworkArgs(
        **values_of(settings),
        tags=context.tags,
        protect_data=context.protect_data,
    )


def environment_rules(args: NetworkArgs, context: StackContext) -> list[Problem]:
    """Prod must survive a zone outage: at least two zones, each with its own NAT gateway.

    Fields are relative to the block (`azCount`), as `config.py` places them under it.
    """
    if context.environment != "prod":
        return []
    problems = []
    if args.az_count < 2:  # noqa: PLR2004 - two zones is the least that survives a zone outage
        problems.append(
            Problem(
                "az_count", args.az_count, "prod needs at least 2 zones to survive a zone outage"
            )
        )
    if args.nat_gateways != "per_az":
        problems.append(
            Problem(
                "nat_gateways",
                args.nat_gateways,
                "prod needs per_az, so one zone's outage cannot cut the others",
            )
        )
    return problems
