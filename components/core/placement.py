"""Where a workload runs in a network: the VPC, its private subnets, its security groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

from mlops_platform.components.core.errors import Problem, raise_if_any


@dataclass(frozen=True, kw_only=True)
class Placement:
    """A workload's place in a network, as `Network.placement()` gives it.

    Components that run inside a VPC (`ModelEndpoint`, `GpuCluster`) take it as a constructor
    argument, so their args are complete without it and it is never filled in later.
    """

    vpc_id: pulumi.Input[str]
    """The VPC."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Private subnets, one per zone, in zone-index order."""
    security_group_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Security groups of the workload's network interfaces."""

    def __post_init__(self) -> None:
        """Reject an empty list of subnets or security groups (unknown values pass)."""
        raise_if_any(
            "Placement",
            [
                Problem(name, [], "at least one")
                for name in ("subnet_ids", "security_group_ids")
                if isinstance(getattr(self, name), list | tuple) and not getattr(self, name)
            ],
        )
