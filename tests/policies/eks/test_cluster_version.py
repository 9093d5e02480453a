from __future__ import annotations

from mlops_platform.policies.eks.cluster_version import POLICY
from tests.policies.eks._fixtures import CLUSTER, CLUSTER_TYPE
from tests.policies.harness import changed, check_resource, drop_at, set_at


def test_a_supported_version_passes() -> None:
    assert check_resource(POLICY, CLUSTER_TYPE, CLUSTER) == []


def test_an_unpinned_version() -> None:
    assert check_resource(POLICY, CLUSTER_TYPE, changed(CLUSTER, drop_at("version"))) == [
        "no Kubernetes version is pinned; set version to one of 1.32, 1.33, 1.34"
    ]


def test_an_old_version() -> None:
    assert check_resource(POLICY, CLUSTER_TYPE, changed(CLUSTER, set_at("version", "1.27"))) == [
        "Kubernetes 1.27 is not supported; use one of 1.32, 1.33, 1.34"
    ]


def test_supported_versions_come_from_config() -> None:
    props = changed(CLUSTER, set_at("version", "1.27"))
    assert check_resource(POLICY, CLUSTER_TYPE, props, config={"supportedVersions": ["1.27"]}) == []
