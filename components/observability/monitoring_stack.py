"""The monitoring stack of an EKS cluster as plain values: Helm values, manifests, limits.

kube-prometheus-stack (Prometheus, Alertmanager, Grafana) and NVIDIA's DCGM exporter, both at
pinned versions. Grafana's dashboards are ConfigMaps its sidecar loads (bodies from `grafana`),
the alert rules are `PrometheusRule` objects, Alertmanager publishes to the environment's SNS
topic with SigV4 through an IRSA role. Grafana has a ClusterIP Service only and its admin
password comes from a Secret the component generates. The cluster has no EBS CSI driver, so
Prometheus keeps its TSDB in a size-limited emptyDir: a restart loses history, never the node.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mlops_platform.components.core.checks import is_number, is_whole_in
from mlops_platform.components.core.errors import Problem, raise_if_any

from .dashboards import ServiceTarget
from .grafana import DASHBOARD_FOLDER, ChartPin, alertmanager_config, grafana_dashboard

DCGM_EXPORTER = ChartPin(
    "dcgm-exporter", "4.1.1", "https://nvidia.github.io/dcgm-exporter/helm-charts"
)
"""NVIDIA's DCGM exporter chart (exporter 4.1.1), which exports `DCGM_FI_DEV_GPU_UTIL`."""
NAMESPACE = "observability"
"""Where the monitoring stack, its dashboards and Grafana's admin Secret live."""
STACK_RELEASE = "kube-prometheus-stack"
DCGM_RELEASE = "dcgm-exporter"
ALERTMANAGER_ACCOUNT = "alertmanager"
"""The service account Alertmanager runs as; the IRSA role trusts exactly this one."""
GRAFANA_ADMIN_SECRET = "grafana-admin"
"""The Secret holding Grafana's admin user and generated password."""
ADMIN_USER_KEY = "admin-user"
ADMIN_PASSWORD_KEY = "admin-password"
DASHBOARD_LABEL = "grafana_dashboard"
"""The label Grafana's sidecar watches for dashboard ConfigMaps (value "1")."""
FOLDER_ANNOTATION = "grafana_folder"
"""The annotation naming the Grafana folder of a dashboard ConfigMap."""
GRAFANA_SERVICE = f"{STACK_RELEASE}-grafana.{NAMESPACE}.svc.cluster.local"
"""Grafana inside the cluster (ClusterIP); reach it with `kubectl port-forward`."""
MAX_RETENTION_DAYS = 90
MAX_RETENTION_GB = 200


@dataclass(frozen=True, kw_only=True)
class ClusterMonitoringSpec:
    """How long Prometheus keeps metrics, and when the services' alerts fire."""

    retention_days: int = 15
    """Days of metrics Prometheus keeps (1-90); prod config asks for at least 7."""
    retention_gb: int = 20
    """Disk Prometheus may use before it drops the oldest blocks early (1-200 GB)."""
    max_error_rate: float = 0.05
    """Share of 5XX answers above which `ModelServiceHighErrorRate` fires (0-1, exclusive)."""
    max_p95_seconds: float = 1.0
    """p95 latency above which `ModelServiceSlow` fires, in seconds (> 0)."""

    def __post_init__(self) -> None:
        raise_if_any("ClusterMonitoringSpec", check_spec(self))


def check_spec(spec: ClusterMonitoringSpec) -> list[Problem]:
    """Every problem with the spec, each naming the field, its value and what is allowed."""
    days, size = f"from 1 to {MAX_RETENTION_DAYS}", f"from 1 to {MAX_RETENTION_GB}"
    checks = [
        ("retention_days", is_whole_in(spec.retention_days, 1, MAX_RETENTION_DAYS),
         f"a whole number of days {days}"),
        ("retention_gb", is_whole_in(spec.retention_gb, 1, MAX_RETENTION_GB),
         f"a whole number of GB {size}"),
        ("max_error_rate", is_number(spec.max_error_rate) and 0 < spec.max_error_rate < 1,
         "a share between 0 and 1, both excluded"),
        ("max_p95_seconds", is_number(spec.max_p95_seconds) and spec.max_p95_seconds > 0,
         "seconds, above 0"),
    ]  # fmt: skip
    problems = [Problem(name, getattr(spec, name), rule) for name, ok, rule in checks if not ok]
    return problems


def dashboard_config_map(target: ServiceTarget) -> dict[str, Any]:
    """The ConfigMap Grafana's sidecar loads as the service's dashboard, in its folder."""
    name = f"dashboard-{target.namespace}-{target.service_name}"[:63].rstrip("-")
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": name,
            "namespace": NAMESPACE,
            "labels": {DASHBOARD_LABEL: "1", "app.kubernetes.io/part-of": "mlops-platform"},
            "annotations": {FOLDER_ANNOTATION: DASHBOARD_FOLDER},
        },
        "data": {f"{name}.json": json.dumps(grafana_dashboard(target), sort_keys=True)},
    }


def _pod_scrape_job() -> dict[str, Any]:
    """Scrape pods by their `prometheus.io/*` annotations, keeping pod labels as labels."""
    meta = "__meta_kubernetes_pod_"
    return {
        "job_name": "kubernetes-pods",
        "kubernetes_sd_configs": [{"role": "pod"}],
        "relabel_configs": [
            {"source_labels": [f"{meta}annotation_prometheus_io_scrape"], "action": "keep",
             "regex": "true"},
            {"source_labels": [f"{meta}annotation_prometheus_io_path"],
             "target_label": "__metrics_path__", "regex": "(.+)"},
            {"source_labels": ["__address__", f"{meta}annotation_prometheus_io_port"],
             "regex": r"([^:]+)(?::\d+)?;(\d+)", "replacement": "$1:$2",
             "target_label": "__address__"},
            {"action": "labelmap", "regex": f"{meta}label_(.+)"},
            {"source_labels": ["__meta_kubernetes_namespace"], "target_label": "namespace"},
            {"source_labels": [f"{meta}name"], "target_label": "pod"},
        ],
    }  # fmt: skip


def grafana_values() -> dict[str, Any]:
    """Grafana inside the cluster only, admin from the Secret, dashboards from ConfigMaps."""
    return {
        "enabled": True,
        "defaultDashboardsTimezone": "utc",
        "admin": {
            "existingSecret": GRAFANA_ADMIN_SECRET,
            "userKey": ADMIN_USER_KEY,
            "passwordKey": ADMIN_PASSWORD_KEY,
        },
        "service": {"type": "ClusterIP"},
        "ingress": {"enabled": False},
        # Everything Grafana shows is provisioned from code; there is nothing to keep.
        "persistence": {"enabled": False},
        "sidecar": {
            "dashboards": {
                "enabled": True,
                "label": DASHBOARD_LABEL,
                "labelValue": "1",
                "folderAnnotation": FOLDER_ANNOTATION,
                "provider": {"foldersFromFilesStructure": True, "allowUiUpdates": False},
            }
        },
    }


def prometheus_values(spec: ClusterMonitoringSpec) -> dict[str, Any]:
    """Retention by time and size, an emptyDir just above that size, rules from any release."""
    return {
        "prometheusSpec": {
            "retention": f"{spec.retention_days}d",
            "retentionSize": f"{spec.retention_gb}GB",
            "storageSpec": {"emptyDir": {"sizeLimit": f"{spec.retention_gb * 5 // 4 + 1}Gi"}},
            "ruleSelectorNilUsesHelmValues": False,
            "serviceMonitorSelectorNilUsesHelmValues": False,
            "podMonitorSelectorNilUsesHelmValues": False,
            "additionalScrapeConfigs": [_pod_scrape_job()],
        }
    }


def stack_values(
    *, topic_arn: str, region: str, alertmanager_role_arn: str, spec: ClusterMonitoringSpec
) -> dict[str, Any]:
    """Helm values of kube-prometheus-stack.

    Args:
        topic_arn: The environment's alerting topic.
        region: The topic's region, for Alertmanager's SigV4 signing.
        alertmanager_role_arn: The IRSA role Alertmanager assumes to publish to the topic.
        spec: Retention of the metrics.
    """
    off = {"enabled": False}
    return {
        "grafana": grafana_values(),
        "alertmanager": {
            "serviceAccount": {
                "create": True,
                "name": ALERTMANAGER_ACCOUNT,
                "annotations": {"eks.amazonaws.com/role-arn": alertmanager_role_arn},
            },
            "config": alertmanager_config(topic_arn, region),
            "alertmanagerSpec": {"retention": "120h"},
        },
        "prometheus": prometheus_values(spec),
        # The cluster's own Prometheus chart already runs node-exporter on hostPort 9100.
        "nodeExporter": off,
        # EKS runs these on its control plane, out of Prometheus' reach.
        "kubeControllerManager": off,
        "kubeScheduler": off,
        "kubeEtcd": off,
        "kubeProxy": off,
    }


def dcgm_values(tolerations: Sequence[Mapping[str, str]], node_label: str) -> dict[str, Any]:
    """The exporter on GPU nodes only (by `node_label`), tolerating their taints.

    Its ServiceMonitor honours the exporter's own `namespace` and `pod` labels (the GPU's
    user), which the dashboards select on, instead of renaming them to `exported_*`.
    """
    return {
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {"matchExpressions": [{"key": node_label, "operator": "Exists"}]}
                    ]
                }
            }
        },
        "tolerations": [dict(t) for t in tolerations],
        "serviceMonitor": {"enabled": True, "honorLabels": True, "interval": "15s"},
    }
