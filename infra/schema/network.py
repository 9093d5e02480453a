"""`mlops:network`: the stack's VPC. Unset keys take the `NetworkArgs` defaults."""

from __future__ import annotations

from components._routing import NatGateways
from infra.schema import Section


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
