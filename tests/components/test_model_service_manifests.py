"""The serving manifests field by field, as the EKS guide and Argo Rollouts' semantics require.

Each assertion pins one behaviour a user relies on: a canary that can pass and can fail, queries
that look at the canary's pods only, a rollout that aborts by itself, scaling that never blocks,
and objects that stay inside the cluster.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from mlops_platform.components import AnalysisSpec, ServiceAutoscalingSpec
from mlops_platform.components.eks.cluster.software import argo_rollouts_values
from mlops_platform.components.eks.service.canary import DEFAULT_CANARY_STEPS, argo_steps
from mlops_platform.testing import Registry
from tests.components.test_cluster_software import software as cluster
from tests.components.test_model_service import manifest, pod_spec, service
from tests.conftest import RunProgram

ROLLOUT = "kubernetes:argoproj.io/v1alpha1:Rollout"
TEMPLATE = "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate"
SCOPE = 'namespace="fraud",rollouts_pod_template_hash="{{args.canary-hash}}"'
ANALYSIS_STEP = {
    "analysis": {
        "templates": [{"templateName": "fraud-canary"}],
        "args": [{"name": "canary-hash", "valueFrom": {"podTemplateHashValue": "Latest"}}],
    }
}

_CONDITION = re.compile(r"^result\[0\] (>=|<=|>|<) (\d+(?:\.\d+)?)$")
_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}


def holds(condition: str, value: float) -> bool:
    """Evaluate one of the template's conditions on one measurement, as Argo's expr does."""
    match = _CONDITION.match(condition)
    assert match is not None, f"not a single comparison of result[0]: {condition!r}"
    return _OPERATORS[match.group(1)](value, float(match.group(2)))


def analysis_phase(metric: dict[str, Any], measurements: Sequence[float]) -> str:
    """What Argo Rollouts concludes from `count` measurements of one metric.

    A measurement is Failed when the failure condition holds, Successful when the success
    condition holds, Inconclusive otherwise; the metric fails once failed measurements exceed
    `failureLimit`, and is inconclusive once any measurement is (inconclusiveLimit 0).
    """
    assert len(measurements) == metric["count"]
    failed = inconclusive = 0
    for value in measurements:
        if holds(metric["failureCondition"], value):
            failed += 1
        elif not holds(metric["successCondition"], value):
            inconclusive += 1
    if failed > metric["failureLimit"]:
        return "Failed"
    return "Inconclusive" if inconclusive else "Successful"


@pytest.fixture
def template(run: RunProgram) -> dict[str, Any]:
    analysis = AnalysisSpec(min_success_rate=0.995, max_p95_latency_seconds=0.25, count=4)
    return manifest(service(run, analysis=analysis), TEMPLATE)


def metrics(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {metric["name"]: metric for metric in template["spec"]["metrics"]}


def test_conditions_pass_at_the_threshold_and_fail_beyond_it(template: dict[str, Any]) -> None:
    success, latency = metrics(template)["success-rate"], metrics(template)["p95-latency"]
    assert success["successCondition"] == "result[0] >= 0.995"
    assert success["failureCondition"] == "result[0] < 0.995"
    assert latency["successCondition"] == "result[0] <= 0.25"
    assert latency["failureCondition"] == "result[0] > 0.25"
    assert analysis_phase(success, [0.995] * 4) == "Successful"
    assert analysis_phase(latency, [0.25] * 4) == "Successful"
    assert analysis_phase(success, [0.994] * 4) == "Failed"
    assert analysis_phase(latency, [0.26] * 4) == "Failed"


@pytest.mark.parametrize(
    ("successes", "latencies", "phases"),
    [
        ([1.0, 0.9, 1.0, 1.0], [0.1, 0.1, 0.9, 0.1], ("Successful", "Successful")),  # one each
        ([0.9, 0.9, 1.0, 1.0], [0.9, 0.9, 0.1, 0.1], ("Failed", "Failed")),  # two each
    ],
)
def test_one_bad_measurement_is_tolerated_and_two_fail_the_canary(
    template: dict[str, Any],
    successes: list[float],
    latencies: list[float],
    phases: tuple[str, str],
) -> None:
    found = metrics(template)
    assert (
        analysis_phase(found["success-rate"], successes),
        analysis_phase(found["p95-latency"], latencies),
    ) == phases


def test_the_failure_limit_is_below_the_count_so_the_analysis_can_fail(
    template: dict[str, Any],
) -> None:
    for metric in template["spec"]["metrics"]:
        assert (metric["interval"], metric["count"], metric["failureLimit"]) == ("60s", 4, 1)
        assert 0 <= metric["failureLimit"] < metric["count"]
        # Every measurement failing must fail the analysis.
        worst = 99.0 if metric["name"] == "p95-latency" else 0.0
        assert analysis_phase(metric, [worst] * 4) == "Failed"


def test_queries_look_at_the_canarys_pods_only(template: dict[str, Any]) -> None:
    assert template["spec"]["args"] == [{"name": "canary-hash"}]
    found = metrics(template)
    prometheus = "http://prometheus-server.monitoring.svc.cluster.local:80"
    assert found["success-rate"]["provider"] == {
        "prometheus": {
            "address": prometheus,
            "query": f'sum(rate(http_requests_total{{{SCOPE},code!~"5.."}}[2m])) / '
            f"sum(rate(http_requests_total{{{SCOPE}}}[2m]))",
        }
    }
    assert found["p95-latency"]["provider"] == {
        "prometheus": {
            "address": prometheus,
            "query": "histogram_quantile(0.95, sum(rate("
            f"http_request_duration_seconds_bucket{{{SCOPE}}}[2m])) by (le))",
        }
    }


def test_default_steps_analyse_each_weight_and_end_with_an_analysis(run: RunProgram) -> None:
    rollout = manifest(service(run), ROLLOUT)
    steps = rollout["spec"]["strategy"]["canary"]["steps"]
    assert steps == [
        {"setWeight": 10},
        {"pause": {"duration": "300s"}},
        ANALYSIS_STEP,
        {"setWeight": 50},
        {"pause": {"duration": "300s"}},
        ANALYSIS_STEP,
    ]
    assert argo_steps(DEFAULT_CANARY_STEPS, "fraud-canary")[-1] == ANALYSIS_STEP


def test_a_stuck_rollout_aborts_and_a_canary_never_takes_capacity_away(run: RunProgram) -> None:
    spec = manifest(service(run, startup_timeout_seconds=120), ROLLOUT)["spec"]
    assert spec["progressDeadlineAbort"] is True
    assert spec["progressDeadlineSeconds"] == 420  # the pods' startup time and five minutes
    canary = spec["strategy"]["canary"]
    assert (canary["maxUnavailable"], canary["maxSurge"]) == (0, "25%")
    assert spec["selector"] == {"matchLabels": {"app.kubernetes.io/name": "fraud"}}


def test_zone_spread_is_best_effort_so_it_never_blocks_scale_out(run: RunProgram) -> None:
    (spread,) = pod_spec(service(run))["topologySpreadConstraints"]
    assert spread == {
        "maxSkew": 1,
        "topologyKey": "topology.kubernetes.io/zone",
        "whenUnsatisfiable": "ScheduleAnyway",
        "labelSelector": {"matchLabels": {"app.kubernetes.io/name": "fraud"}},
        "matchLabelKeys": ["rollouts-pod-template-hash"],
    }


def test_hpa_scales_down_by_one_pod_a_minute_after_the_window(run: RunProgram) -> None:
    scaling = ServiceAutoscalingSpec(scale_down_stabilization_seconds=600)
    hpa = manifest(
        service(run, autoscaling=scaling), "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"
    )
    assert hpa["spec"]["behavior"] == {
        "scaleDown": {
            "stabilizationWindowSeconds": 600,
            "selectPolicy": "Min",
            "policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}],
        }
    }


def test_the_service_stays_inside_the_cluster(run: RunProgram) -> None:
    spec = manifest(service(run), "kubernetes:core/v1:Service")["spec"]
    assert spec == {
        "type": "ClusterIP",
        "selector": {"app.kubernetes.io/name": "fraud"},
        "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}],
    }


def test_the_namespace_enforces_audits_and_warns_on_the_restricted_standard(
    run: RunProgram,
) -> None:
    labels = manifest(service(run), "kubernetes:core/v1:Namespace")["metadata"]["labels"]
    security = {key: value for key, value in labels.items() if key.startswith("pod-security.")}
    assert security == {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
    }


def test_no_kubernetes_api_token_is_mounted_in_the_pods(run: RunProgram) -> None:
    registry: Registry = service(run)
    # IRSA's web identity token is projected by the EKS webhook; the API token is not needed.
    assert (
        manifest(registry, "kubernetes:core/v1:ServiceAccount")["automountServiceAccountToken"]
        is False
    )
    assert pod_spec(registry)["automountServiceAccountToken"] is False


def test_removing_the_argo_rollouts_chart_keeps_its_crds_and_so_every_rollout(
    run: RunProgram,
) -> None:
    releases = {r.inputs["chart"]: r for r in cluster(run).all("kubernetes:helm.sh/v3:Release")}
    values = releases["argo-rollouts"].inputs["values"]
    assert (values["installCRDs"], values["keepCRDs"]) == (True, True)
    assert values == argo_rollouts_values()
