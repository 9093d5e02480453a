"""A per-environment network: VPC, subnets per zone, NAT, private endpoints and flow logs."""

from mlops_platform.components.network.args import NatGateways, NetworkArgs
from mlops_platform.components.network.network import Network

__all__ = ["NatGateways", "Network", "NetworkArgs"]
