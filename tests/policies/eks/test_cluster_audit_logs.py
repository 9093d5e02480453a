from __future__ import annotations

from mlops_platform.policies.eks.cluster_audit_logs import POLICY
from tests.policies.eks._fixtures import CLUSTER, CLUSTER_TYPE
from tests.policies.harness import changed, check_resource, set_at


def test_api_audit_and_authenticator_logs_pass() -> None:
    assert check_resource(POLICY, CLUSTER_TYPE, CLUSTER) == []


def test_missing_log_types_are_named() -> None:
    props = changed(CLUSTER, set_at("enabledClusterLogTypes", ["api"]))
    assert check_resource(POLICY, CLUSTER_TYPE, props) == [
        "control-plane logging misses audit, authenticator; add them to enabled_cluster_log_types"
    ]


def test_required_types_come_from_config() -> None:
    props = changed(CLUSTER, set_at("enabledClusterLogTypes", ["audit"]))
    assert check_resource(POLICY, CLUSTER_TYPE, props, config={"requiredLogTypes": ["audit"]}) == []
