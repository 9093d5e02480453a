from __future__ import annotations

import json
import re

from observability_catalogue import PROMETHEUS_METRICS

from mlops_platform.components.observability import grafana
from mlops_platform.components.observability.dashboards import ServiceTarget

TARGET = ServiceTarget(
    cluster_name="gpu", namespace="ranker", service_name="ranker", rollout_name="ranker"
)
TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts"
KEYWORDS = {"sum", "by", "rate", "avg", "histogram_quantile", "or", "absent", "le"}


def series_in(expr: str) -> list[tuple[str, set[str]]]:
    """Each metric selector in a PromQL expression, with the labels it matches on."""
    found = []
    for name, matchers in re.findall(r"([A-Za-z_:][A-Za-z0-9_:]*)\{([^}]*)\}", expr):
        found.append((name, set(re.findall(r"([a-z_]+)\s*[=!~]+", matchers))))
    return found


def grouped_labels(expr: str) -> set[str]:
    return {
        label.strip() for group in re.findall(r"by \(([^)]*)\)", expr) for label in group.split(",")
    }


def check_against_catalogue(expr: str) -> None:
    selectors = series_in(expr)
    assert selectors, expr
    for name, labels in selectors:
        assert name in PROMETHEUS_METRICS, name
        assert labels <= PROMETHEUS_METRICS[name], (name, labels)
    available = set().union(*(PROMETHEUS_METRICS[name] for name, _ in selectors))
    assert grouped_labels(expr) <= available, expr


def test_every_panel_queries_metrics_the_deployed_exporters_emit() -> None:
    dashboard = json.loads(json.dumps(grafana.grafana_dashboard(TARGET)))
    assert len(dashboard["panels"]) == 5
    for panel in dashboard["panels"]:
        (target,) = panel["targets"]
        check_against_catalogue(target["expr"])


def test_panels_split_canary_from_stable_by_pod_template_hash() -> None:
    q = grafana.queries(TARGET)
    for title in (t for t in q if "canary vs stable" in t):
        assert grouped_labels(q[title]) >= {"rollouts_pod_template_hash"}
    assert q["GPU utilisation, % per pod"] == (
        'avg by (pod) (DCGM_FI_DEV_GPU_UTIL{namespace="ranker", pod=~"ranker-.*"})'
    )
    assert "histogram_quantile(0.95" in q["p95 latency, seconds (canary vs stable)"]


def test_panels_do_not_overlap() -> None:
    positions = [
        (p["gridPos"]["x"], p["gridPos"]["y"]) for p in grafana.grafana_dashboard(TARGET)["panels"]
    ]
    assert len(set(positions)) == len(positions)


def test_alert_rules_query_emitted_metrics_and_carry_routing_labels() -> None:
    rule = json.loads(json.dumps(grafana.prometheus_rules(TARGET, max_error_rate=0.02)))
    assert (rule["apiVersion"], rule["kind"]) == ("monitoring.coreos.com/v1", "PrometheusRule")
    assert rule["metadata"]["namespace"] == "ranker"
    (group,) = rule["spec"]["groups"]
    assert [r["alert"] for r in group["rules"]] == [
        "ModelServiceHighErrorRate",
        "ModelServiceSlow",
        "ModelServiceDown",
    ]
    for r in group["rules"]:
        check_against_catalogue(r["expr"])
        assert r["labels"] == {"severity": "page", "namespace": "ranker", "service": "ranker"}
    assert group["rules"][0]["expr"].endswith("> 0.02")
    assert group["rules"][0]["annotations"]["summary"] == (
        "ranker/ranker: more than 2% of answers are 5XX"
    )


def test_alertmanager_routes_alerts_to_the_topic() -> None:
    config = grafana.alertmanager_config(TOPIC, "eu-west-1")
    receivers = {r["name"]: r for r in config["receivers"]}
    assert config["route"]["receiver"] == "sns"
    assert receivers["sns"]["sns_configs"][0]["topic_arn"] == TOPIC
    assert receivers["sns"]["sns_configs"][0]["sigv4"] == {"region": "eu-west-1"}
    assert receivers["null"] == {"name": "null"}
    routed = {r["receiver"] for r in config["route"]["routes"]} | {config["route"]["receiver"]}
    assert routed <= set(receivers)


def test_chart_is_pinned_to_an_exact_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", grafana.KUBE_PROMETHEUS_STACK.version)
    assert grafana.KUBE_PROMETHEUS_STACK.chart == "kube-prometheus-stack"
