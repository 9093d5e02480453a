from __future__ import annotations

from typing import Any

import pytest

from mlops_platform.components.observability import monitoring_stack
from mlops_platform.policies.kubernetes.grafana_internal import POLICY, RELEASE
from tests.policies.harness import check_resource

STACK = "kube-prometheus-stack"


def _stack(**grafana: Any) -> dict[str, Any]:
    values = {**monitoring_stack.grafana_values(), **grafana}
    return {"chart": STACK, "version": "89.0.0", "values": {"grafana": values}}


def test_the_platforms_own_values_pass() -> None:
    assert check_resource(POLICY, RELEASE, _stack()) == []


@pytest.mark.parametrize(("grafana", "message"), [
    ({"service": {"type": "LoadBalancer"}},
     f"chart {STACK!r}: Grafana's service.type is LoadBalancer, reachable from outside the "
     'cluster; use "ClusterIP"'),
    ({"service": {"type": "NodePort"}},
     f"chart {STACK!r}: Grafana's service.type is NodePort, reachable from outside the "
     'cluster; use "ClusterIP"'),
    ({"ingress": {"enabled": True}},
     f"chart {STACK!r}: Grafana's ingress.enabled is true; reach Grafana inside the cluster "
     "instead"),
    ({"adminPassword": "prom-operator"},
     f"chart {STACK!r}: Grafana's adminPassword is set in plain text; use admin.existingSecret"),
])  # fmt: skip
def test_each_way_out_is_reported(grafana: dict[str, Any], message: str) -> None:
    assert check_resource(POLICY, RELEASE, _stack(**grafana)) == [message]


def test_the_grafana_chart_is_checked_at_its_top_level() -> None:
    props = {"chart": "grafana", "version": "8.0.0", "values": {"service": {"type": "NodePort"}}}
    assert len(check_resource(POLICY, RELEASE, props)) == 1


def test_other_charts_and_releases_without_values_pass() -> None:
    other = {"chart": "argo-rollouts", "values": {"grafana": {"adminPassword": "x"}}}
    assert check_resource(POLICY, RELEASE, other) == []
    assert check_resource(POLICY, RELEASE, {"chart": STACK, "version": "89.0.0"}) == []
