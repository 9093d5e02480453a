"""Rules across blocks and for the stack's region: values valid alone but wrong together.

Each rule is the component's own pure check (`check_zones_in_region`, `check_image_sources`),
given what only the stack knows: its region, its account and the other blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic.alias_generators import to_camel

from infra.schema import NAMESPACE
from infra.schema.endpoints import EndpointDeclaration
from infra.schema.written import as_written
from mlops_platform.components.core import Problem
from mlops_platform.components.eks import GpuClusterArgs, ModelServiceArgs
from mlops_platform.components.eks.service.args import check_image_source
from mlops_platform.components.network import NetworkArgs
from mlops_platform.components.network.args import check_zones_in_region
from mlops_platform.components.sagemaker.args import check_image_sources

EKS_MIN_ZONES = 2
"""EKS places its control plane in subnets of at least two zones (CreateCluster)."""


@dataclass(frozen=True)
class Built:
    """The blocks a stack file built (None or absent where a block is unset or invalid)."""

    network: NetworkArgs | None
    cluster: GpuClusterArgs | None
    services: Sequence[ModelServiceArgs | None]
    endpoints: Sequence[EndpointDeclaration | None]


def stack_rules(built: Built, *, region: str | None, account: str | None) -> list[Problem]:
    """Every problem across the blocks, by stack-config path (`mlops:network.azCount`)."""
    problems: list[Problem] = []
    network = built.network
    if network is not None and region is not None:
        problems += _under("network", check_zones_in_region(network.availability_zones, region))
    if network is not None and built.cluster is not None and network.az_count < EKS_MIN_ZONES:
        problems.append(
            Problem(
                f"{NAMESPACE}:network.azCount",
                network.az_count,
                f"an EKS cluster (mlops:cluster) needs subnets in at least {EKS_MIN_ZONES} zones",
            )
        )
    if region is None:
        return problems
    for index, service in enumerate(built.services):
        if service is not None:
            problems += _under(
                f"services[{index}]", check_image_source(service.image, region=region)
            )
    for index, endpoint in enumerate(built.endpoints):
        if endpoint is not None:
            args = endpoint.args
            images = [variant.image for variant in args.variants]
            found = check_image_sources(
                images, args.image_repositories, region=region, account=account
            )
            problems += _under(f"endpoints[{index}]", found)
    return problems


def _under(key: str, problems: list[Problem]) -> list[Problem]:
    return [as_written(p.moved_to(f"{NAMESPACE}:{key}.", to_camel)) for p in problems]
