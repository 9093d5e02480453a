from __future__ import annotations

import pytest

from mlops_platform.policies.eks.cluster_placeholder_cidrs import POLICY
from tests.policies.eks._fixtures import CLUSTER, CLUSTER_TYPE
from tests.policies.harness import changed, check_resource


def public(*cidrs: str) -> dict[str, object]:
    return changed(
        CLUSTER,
        lambda p: p["vpcConfig"].update(endpointPublicAccess=True, publicAccessCidrs=list(cidrs)),
    )


def test_a_private_endpoint_passes() -> None:
    assert check_resource(POLICY, CLUSTER_TYPE, CLUSTER) == []


@pytest.mark.parametrize(
    ("cidrs", "messages"),
    [
        (["198.18.0.0/15"], []),
        (["203.0.113.0/24"],
         ["public_access_cidrs lists 203.0.113.0/24, a documentation range (RFC 5737) no real "
          "network uses: a placeholder; list your office or CI egress range"]),
        (["10.0.0.0/8", "198.51.100.7/32"],
         ["public_access_cidrs lists 198.51.100.7/32, a documentation range (RFC 5737) no real "
          "network uses: a placeholder; list your office or CI egress range"]),
    ],
)  # fmt: skip
def test_documentation_ranges_are_reported(cidrs: list[str], messages: list[str]) -> None:
    assert check_resource(POLICY, CLUSTER_TYPE, public(*cidrs)) == messages
