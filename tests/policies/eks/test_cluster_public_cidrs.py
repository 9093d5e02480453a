from __future__ import annotations

from mlops_platform.policies.eks.cluster_public_cidrs import POLICY
from tests.policies.eks._fixtures import CLUSTER, CLUSTER_TYPE
from tests.policies.harness import changed, check_resource, set_at

PUBLIC = changed(
    CLUSTER,
    lambda p: p["vpcConfig"].update(
        endpointPublicAccess=True, publicAccessCidrs=["203.0.113.0/24"]
    ),
)


def test_a_private_endpoint_passes() -> None:
    assert check_resource(POLICY, CLUSTER_TYPE, CLUSTER) == []


def test_a_public_endpoint_open_to_listed_networks_passes() -> None:
    assert check_resource(POLICY, CLUSTER_TYPE, PUBLIC) == []


def test_a_public_endpoint_open_to_the_world() -> None:
    props = changed(PUBLIC, set_at("vpcConfig.publicAccessCidrs", ["10.0.0.0/8", "0.0.0.0/0"]))
    assert check_resource(POLICY, CLUSTER_TYPE, props) == [
        "the public API endpoint is open to 0.0.0.0/0; list the networks that may reach it"
    ]


def test_a_public_endpoint_without_cidrs_is_open_to_the_world() -> None:
    props = changed(PUBLIC, set_at("vpcConfig.publicAccessCidrs", []))
    assert check_resource(POLICY, CLUSTER_TYPE, props) == [
        "the public API endpoint is open to 0.0.0.0/0 (the default when public_access_cidrs is "
        "empty); list the networks that may reach it"
    ]


def test_a_public_endpoint_whose_networks_together_are_the_world() -> None:
    props = changed(PUBLIC, set_at("vpcConfig.publicAccessCidrs", ["0.0.0.0/1", "128.0.0.0/1"]))
    assert check_resource(POLICY, CLUSTER_TYPE, props) == [
        "the public API endpoint is open to the whole internet: 0.0.0.0/1, 128.0.0.0/1 together "
        "cover 0.0.0.0/0; list the networks that may reach it"
    ]
