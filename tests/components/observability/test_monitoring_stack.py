"""The monitoring stack's Helm values and manifests, as plain values (no Pulumi)."""

from __future__ import annotations

import json
import re
from typing import Any

import kubernetes_validate
import pytest

from mlops_platform.components.core import ArgsError
from mlops_platform.components.observability import grafana, monitoring_stack
from mlops_platform.components.observability.dashboards import ServiceTarget
from mlops_platform.components.observability.monitoring_stack import ClusterMonitoringSpec
from tests.components.observability.test_observability_grafana import check_against_catalogue

TARGET = ServiceTarget(
    cluster_name="gpu", namespace="ranker", service_name="ranker", rollout_name="ranker"
)
TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts"
ROLE = "arn:aws:iam::123456789012:role/alertmanager"
KUBERNETES = "1.31.0"


def values(spec: ClusterMonitoringSpec | None = None) -> dict[str, Any]:
    return monitoring_stack.stack_values(
        topic_arn=TOPIC, region="eu-west-1", alertmanager_role_arn=ROLE,
        spec=spec or ClusterMonitoringSpec(),
    )  # fmt: skip


def test_grafana_is_cluster_internal_with_its_admin_from_the_generated_secret() -> None:
    board = values()["grafana"]
    assert board["service"] == {"type": "ClusterIP"}
    assert board["ingress"] == {"enabled": False}
    assert board["admin"] == {"existingSecret": "grafana-admin", "userKey": "admin-user",
                              "passwordKey": "admin-password"}  # fmt: skip
    assert "adminPassword" not in board
    assert board["persistence"] == {"enabled": False}  # every dashboard is provisioned from code


def test_the_sidecar_loads_exactly_the_config_maps_the_platform_labels() -> None:
    sidecar = values()["grafana"]["sidecar"]["dashboards"]
    board = monitoring_stack.dashboard_config_map(TARGET)
    labels, annotations = board["metadata"]["labels"], board["metadata"]["annotations"]
    assert labels[sidecar["label"]] == sidecar["labelValue"] == "1"
    assert annotations[sidecar["folderAnnotation"]] == grafana.DASHBOARD_FOLDER
    assert sidecar["provider"]["foldersFromFilesStructure"] is True
    assert board["metadata"]["namespace"] == monitoring_stack.NAMESPACE


def test_the_dashboard_config_map_is_a_valid_config_map_holding_the_dashboard() -> None:
    board = monitoring_stack.dashboard_config_map(TARGET)
    kubernetes_validate.validate(board, KUBERNETES, strict=True)
    (body,) = board["data"].values()
    dashboard = json.loads(body)
    assert dashboard == grafana.grafana_dashboard(TARGET)
    for panel in dashboard["panels"]:
        check_against_catalogue(panel["targets"][0]["expr"])


def test_a_long_service_name_still_gives_a_valid_config_map_name() -> None:
    long = ServiceTarget(cluster_name="c", namespace="n" * 40, service_name="s" * 40,
                         rollout_name="s" * 40)  # fmt: skip
    board = monitoring_stack.dashboard_config_map(long)
    assert len(board["metadata"]["name"]) <= 63
    kubernetes_validate.validate(board, KUBERNETES, strict=True)


def test_alertmanager_publishes_to_the_topic_as_its_irsa_service_account() -> None:
    manager = values()["alertmanager"]
    assert manager["serviceAccount"] == {
        "create": True, "name": "alertmanager",
        "annotations": {"eks.amazonaws.com/role-arn": ROLE},
    }  # fmt: skip
    assert manager["config"] == grafana.alertmanager_config(TOPIC, "eu-west-1")


def test_prometheus_retention_is_bounded_by_time_and_size_on_a_size_limited_volume() -> None:
    spec = values(ClusterMonitoringSpec(retention_days=30, retention_gb=40))["prometheus"]
    prometheus = spec["prometheusSpec"]
    assert (prometheus["retention"], prometheus["retentionSize"]) == ("30d", "40GB")
    limit = prometheus["storageSpec"]["emptyDir"]["sizeLimit"]
    assert limit == "51Gi"  # above the retention size, so Prometheus trims before eviction
    assert prometheus["ruleSelectorNilUsesHelmValues"] is False  # rules of every release
    assert prometheus["serviceMonitorSelectorNilUsesHelmValues"] is False  # DCGM's monitor


def test_pod_scrape_job_keeps_the_labels_the_panels_use() -> None:
    (job,) = values()["prometheus"]["prometheusSpec"]["additionalScrapeConfigs"]
    relabels = job["relabel_configs"]
    assert {"action": "labelmap", "regex": "__meta_kubernetes_pod_label_(.+)"} in relabels
    assert {r.get("target_label") for r in relabels} >= {"namespace", "pod"}


def test_what_eks_hides_or_the_cluster_already_runs_is_off() -> None:
    found = values()
    for key in ("nodeExporter", "kubeControllerManager", "kubeScheduler", "kubeEtcd",
                "kubeProxy"):  # fmt: skip
        assert found[key] == {"enabled": False}, key


def test_dcgm_runs_on_gpu_nodes_only_tolerating_their_taints() -> None:
    toleration = {"key": "nvidia.com/gpu", "operator": "Equal", "value": "true",
                  "effect": "NoSchedule"}  # fmt: skip
    dcgm = monitoring_stack.dcgm_values([toleration], "k8s.amazonaws.com/accelerator")
    terms = dcgm["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert terms["nodeSelectorTerms"] == [
        {"matchExpressions": [{"key": "k8s.amazonaws.com/accelerator", "operator": "Exists"}]}
    ]
    assert dcgm["tolerations"] == [toleration]
    # The dashboards select the GPU's pod and namespace, which only honoured labels keep.
    assert dcgm["serviceMonitor"]["honorLabels"] is True


def test_both_charts_are_pinned_to_exact_versions() -> None:
    for pin in (grafana.KUBE_PROMETHEUS_STACK, monitoring_stack.DCGM_EXPORTER):
        assert re.fullmatch(r"\d+\.\d+\.\d+", pin.version), pin
        assert pin.repo.startswith("https://")
    assert (
        monitoring_stack.DCGM_EXPORTER.repo == "https://nvidia.github.io/dcgm-exporter/helm-charts"
    )


@pytest.mark.parametrize(("changes", "message"), [
    ({"retention_days": 0}, "retention_days = 0: a whole number of days from 1 to 90"),
    ({"retention_days": 91}, "retention_days = 91: a whole number of days from 1 to 90"),
    ({"retention_days": 1.5}, "retention_days = 1.5: a whole number of days from 1 to 90"),
    ({"retention_gb": 201}, "retention_gb = 201: a whole number of GB from 1 to 200"),
    ({"max_error_rate": 1.0}, "max_error_rate = 1.0: a share between 0 and 1, both excluded"),
    ({"max_error_rate": 0}, "max_error_rate = 0: a share between 0 and 1, both excluded"),
    ({"max_p95_seconds": 0}, "max_p95_seconds = 0: seconds, above 0"),
])  # fmt: skip
def test_bad_specs_are_refused_naming_the_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ArgsError) as caught:
        ClusterMonitoringSpec(**changes)
    assert [str(p) for p in caught.value.problems] == [message]


def test_every_problem_of_a_spec_at_once() -> None:
    with pytest.raises(ArgsError) as caught:
        ClusterMonitoringSpec(retention_days=0, retention_gb=0, max_error_rate=2,
                              max_p95_seconds=-1)  # fmt: skip
    assert len(caught.value.problems) == 4
