from __future__ import annotations

from mlops_platform.policies.eks.cluster_endpoint import POLICY
from tests.policies.eks._fixtures import CLUSTER, CLUSTER_TYPE
from tests.policies.harness import changed, check_resource, drop_at, set_at


def test_a_private_only_endpoint_passes() -> None:
    assert check_resource(POLICY, CLUSTER_TYPE, CLUSTER) == []


def test_a_public_endpoint_where_forbidden() -> None:
    props = changed(CLUSTER, set_at("vpcConfig.endpointPublicAccess", True))
    assert check_resource(POLICY, CLUSTER_TYPE, props) == [
        "the API endpoint is public; set endpoint_public_access=False"
    ]


def test_an_unset_public_access_is_public_by_default() -> None:
    props = changed(CLUSTER, drop_at("vpcConfig.endpointPublicAccess"))
    assert check_resource(POLICY, CLUSTER_TYPE, props) == [
        "the API endpoint is public (the default); set endpoint_public_access=False"
    ]


def test_no_private_access() -> None:
    props = changed(CLUSTER, set_at("vpcConfig.endpointPrivateAccess", False))
    assert check_resource(POLICY, CLUSTER_TYPE, props) == [
        "the API endpoint has no private access; set endpoint_private_access=True"
    ]


def test_environments_may_allow_a_public_endpoint() -> None:
    props = changed(CLUSTER, set_at("vpcConfig.endpointPublicAccess", True))
    config = {"allowPublicEndpoint": True}
    assert check_resource(POLICY, CLUSTER_TYPE, props, config=config) == []
