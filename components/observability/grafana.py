"""Grafana dashboards, Prometheus alert rules and Alertmanager routing for EKS model services.

Pure bodies only; `monitoring_stack` puts them into the kube-prometheus-stack chart (pinned):
Prometheus scrapes the model pods (by their `prometheus.io/*` annotations) and the DCGM
exporter, Grafana's sidecar loads one dashboard per service from a ConfigMap, and Alertmanager
sends every alert to the environment's SNS topic. Model servers export `http_requests_total`
(label `code`) and the histogram `http_request_duration_seconds`; Argo Rollouts labels each pod
with `rollouts-pod-template-hash`, which splits every panel into canary and stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .dashboards import ServiceTarget

REQUESTS = "http_requests_total"
LATENCY_BUCKETS = "http_request_duration_seconds_bucket"
GPU_UTILISATION = "DCGM_FI_DEV_GPU_UTIL"
"""GPU utilisation in percent, per GPU, from NVIDIA's DCGM exporter."""
ROLLOUT_INFO = "rollout_info"
"""Argo Rollouts controller: one series per rollout, labelled with its `phase`."""
HASH = "rollouts_pod_template_hash"
"""The pod label Argo Rollouts sets, as Prometheus names it after the scrape's label map."""
DASHBOARD_FOLDER = "Model services"
_DATASOURCE = {"type": "prometheus", "uid": "prometheus"}


@dataclass(frozen=True)
class ChartPin:
    """A Helm chart at the version that was reviewed."""

    chart: str
    version: str
    repo: str


KUBE_PROMETHEUS_STACK = ChartPin(
    "kube-prometheus-stack", "89.0.0", "https://prometheus-community.github.io/helm-charts"
)
"""Tag kube-prometheus-stack-89.0.0 of prometheus-community/helm-charts (Grafana chart 13)."""


def _scope(target: ServiceTarget) -> str:
    return f'namespace="{target.namespace}", app_kubernetes_io_name="{target.service_name}"'


def queries(target: ServiceTarget) -> dict[str, str]:
    """The PromQL of each panel, by panel title."""
    scope = _scope(target)
    by_hash = f"sum by ({HASH})"
    return {
        "Requests per second (canary vs stable)": (f"{by_hash} (rate({REQUESTS}{{{scope}}}[2m]))"),
        "Error rate, 5XX share (canary vs stable)": (
            f'{by_hash} (rate({REQUESTS}{{{scope}, code=~"5.."}}[5m])) / '
            f"{by_hash} (rate({REQUESTS}{{{scope}}}[5m]))"
        ),
        "p95 latency, seconds (canary vs stable)": (
            f"histogram_quantile(0.95, sum by (le, {HASH}) "
            f"(rate({LATENCY_BUCKETS}{{{scope}}}[5m])))"
        ),
        "GPU utilisation, % per pod": (
            f'avg by (pod) ({GPU_UTILISATION}{{namespace="{target.namespace}", '
            f'pod=~"{target.rollout_name}-.*"}})'
        ),
        "Rollout phase": (
            f'{ROLLOUT_INFO}{{namespace="{target.namespace}", name="{target.rollout_name}"}}'
        ),
    }


def _panel(index: int, title: str, expr: str) -> dict[str, Any]:
    legend = (
        "{{phase}}"
        if expr.startswith(ROLLOUT_INFO)
        else "{{" + ("pod" if GPU_UTILISATION in expr else HASH) + "}}"
    )
    return {
        "id": index + 1,
        "type": "timeseries",
        "title": title,
        "datasource": _DATASOURCE,
        "gridPos": {"x": (index % 2) * 12, "y": (index // 2) * 8, "w": 12, "h": 8},
        "targets": [
            {"refId": "A", "expr": expr, "legendFormat": legend, "datasource": _DATASOURCE}
        ],
    }


def grafana_dashboard(target: ServiceTarget) -> dict[str, Any]:
    """The Grafana dashboard (JSON model) of one EKS model service."""
    panels = [_panel(i, title, expr) for i, (title, expr) in enumerate(queries(target).items())]
    return {
        "uid": f"mlops-{target.namespace}-{target.service_name}"[:40],
        "title": f"Model service {target.namespace}/{target.service_name}",
        "tags": ["mlops", "model-service"],
        "timezone": "utc",
        "schemaVersion": 39,
        "refresh": "1m",
        "time": {"from": "now-6h", "to": "now"},
        "panels": panels,
    }


def prometheus_rules(
    target: ServiceTarget, *, max_error_rate: float = 0.05, max_p95_seconds: float = 1.0
) -> dict[str, Any]:
    """A `PrometheusRule` manifest: the service's alerts, which Alertmanager sends to SNS."""
    scope = _scope(target)
    labels = {"severity": "page", "namespace": target.namespace, "service": target.service_name}
    where = f"{target.namespace}/{target.service_name}"
    rules = [
        {
            "alert": "ModelServiceHighErrorRate",
            "expr": (
                f'sum(rate({REQUESTS}{{{scope}, code=~"5.."}}[5m])) / '
                f"sum(rate({REQUESTS}{{{scope}}}[5m])) > {max_error_rate:g}"
            ),
            "for": "5m",
            "labels": labels,
            "annotations": {
                "summary": f"{where}: more than {max_error_rate:.0%} of answers are 5XX"
            },
        },
        {
            "alert": "ModelServiceSlow",
            "expr": (
                f"histogram_quantile(0.95, sum by (le) (rate({LATENCY_BUCKETS}{{{scope}}}[5m]))) "
                f"> {max_p95_seconds:g}"
            ),
            "for": "10m",
            "labels": labels,
            "annotations": {"summary": f"{where}: p95 latency above {max_p95_seconds:g} s"},
        },
        {
            "alert": "ModelServiceDown",
            "expr": f"sum(up{{{scope}}}) == 0 or absent(up{{{scope}}})",
            "for": "5m",
            "labels": labels,
            "annotations": {"summary": f"{where}: Prometheus scrapes no healthy pod"},
        },
    ]
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": f"{target.service_name}-alerts",
            "namespace": target.namespace,
            "labels": {"app.kubernetes.io/part-of": "mlops-platform"},
        },
        "spec": {"groups": [{"name": f"{target.service_name}.rules", "rules": rules}]},
    }


def alertmanager_config(topic_arn: str, region: str) -> dict[str, Any]:
    """Alertmanager's configuration: every alert to the SNS topic, the Watchdog to nowhere."""
    return {
        "route": {
            "receiver": "sns",
            "group_by": ["alertname", "namespace", "service"],
            "group_wait": "30s",
            "group_interval": "5m",
            "repeat_interval": "4h",
            "routes": [{"receiver": "null", "matchers": ['alertname = "Watchdog"']}],
        },
        "receivers": [
            {"name": "null"},
            {
                "name": "sns",
                "sns_configs": [
                    {
                        "topic_arn": topic_arn,
                        "sigv4": {"region": region},
                        "subject": "{{ .CommonLabels.alertname }} {{ .CommonLabels.service }}",
                        "send_resolved": True,
                    }
                ],
            },
        ],
    }
