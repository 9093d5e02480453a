"""Grafana from a Helm chart stays inside the cluster, and its admin password out of the values.

A LoadBalancer or NodePort Service, or an ingress, puts the dashboards (and the metrics behind
them) outside the cluster; an `adminPassword` in the values is plain text in the release and in
the state. Checked on the `grafana` chart's values and on kube-prometheus-stack's `grafana` key.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.values import dig, is_set

RELEASE = "kubernetes:helm.sh/v3:Release"
EXPOSING_TYPES = ("LoadBalancer", "NodePort")
"""Service types reachable from outside the cluster."""
CHARTS = {"grafana": (), "kube-prometheus-stack": ("grafana",)}
"""Charts that install Grafana, and where their values keep Grafana's."""

INFO = RuleInfo(
    name="kubernetes-grafana-cluster-internal",
    description=(
        "Grafana installed by Helm has a ClusterIP Service, no ingress, and its admin "
        "password in a Secret rather than in the values."
    ),
    resource_types=(RELEASE,),
    severity=Severity.HIGH,
    remediation=(
        'Set service.type to "ClusterIP" and ingress.enabled to false (reach Grafana with '
        "kubectl port-forward), and give admin.existingSecret instead of adminPassword."
    ),
)


def problems_of(grafana: Any) -> list[str]:
    """What exposes one Grafana's values: its Service type, an ingress, a plain password."""
    found = []
    kind = dig(grafana, "service", "type")
    if kind in EXPOSING_TYPES:
        found.append(f'service.type is {kind}, reachable from outside the cluster; use "ClusterIP"')
    if dig(grafana, "ingress", "enabled") is True:
        found.append("ingress.enabled is true; reach Grafana inside the cluster instead")
    if is_set(grafana, "adminPassword"):
        found.append("adminPassword is set in plain text; use admin.existingSecret")
    return found


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    chart = dig(args.props, "chart")
    if chart not in CHARTS:
        return
    values = dig(args.props, "values", *CHARTS[chart])
    if values is None:
        return
    for problem in problems_of(values):
        report(f"chart {chart!r}: Grafana's {problem}")


POLICY = ResourceRule(INFO, _check)
