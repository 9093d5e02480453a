from __future__ import annotations

from typing import Any

import pytest

from mlops_platform.policies.kubernetes.service_internal import POLICY
from tests.policies.harness import UNKNOWN, changed, check_resource, set_at

SERVICE = "kubernetes:core/v1:Service"
MODEL_SERVICE: dict[str, Any] = {
    "metadata": {"name": "fraud", "namespace": "fraud"},
    "spec": {
        "type": "ClusterIP",
        "selector": {"app.kubernetes.io/name": "fraud"},
        "ports": [{"name": "http", "port": 80, "targetPort": "http"}],
    },
}


def test_a_cluster_ip_service_passes() -> None:
    assert check_resource(POLICY, SERVICE, MODEL_SERVICE) == []


@pytest.mark.parametrize("kind", ["LoadBalancer", "NodePort"])
def test_a_service_reachable_from_outside(kind: str) -> None:
    props = changed(MODEL_SERVICE, set_at("spec.type", kind))
    assert check_resource(POLICY, SERVICE, props) == [
        f"the Service is of type {kind}, reachable from outside the cluster, in namespace "
        "'fraud'; set spec.type to \"ClusterIP\""
    ]


def test_no_type_is_cluster_ip_and_passes() -> None:
    props = changed(MODEL_SERVICE, lambda p: p["spec"].pop("type"))
    assert check_resource(POLICY, SERVICE, props) == []


def test_allowed_namespaces_come_from_config() -> None:
    props = changed(MODEL_SERVICE, set_at("spec.type", "LoadBalancer"))
    props = changed(props, set_at("metadata.namespace", "ingress"))
    assert check_resource(POLICY, SERVICE, props, config={"allowedNamespaces": ["ingress"]}) == []
    assert len(check_resource(POLICY, SERVICE, props)) == 1


def test_no_namespace_is_the_default_namespace() -> None:
    props = changed(MODEL_SERVICE, set_at("spec.type", "NodePort"))
    props = changed(props, lambda p: p["metadata"].pop("namespace"))
    assert check_resource(POLICY, SERVICE, props, config={"allowedNamespaces": ["default"]}) == []


def test_a_namespace_not_created_yet_does_not_hide_the_type() -> None:
    props = changed(MODEL_SERVICE, set_at("spec.type", "LoadBalancer"))
    props = changed(props, set_at("metadata.namespace", UNKNOWN))
    assert check_resource(POLICY, SERVICE, props, config={"allowedNamespaces": ["ingress"]}) == [
        "the Service is of type LoadBalancer, reachable from outside the cluster, in its "
        'namespace; set spec.type to "ClusterIP"'
    ]


def test_other_kinds_are_left_alone() -> None:
    props = changed(MODEL_SERVICE, set_at("spec.type", "LoadBalancer"))
    assert check_resource(POLICY, "kubernetes:core/v1:ConfigMap", props) == []
