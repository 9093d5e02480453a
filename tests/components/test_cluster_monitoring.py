"""ClusterMonitoring: kube-prometheus-stack, DCGM, dashboards and rules on the serving cluster."""

from __future__ import annotations

import json
from collections import Counter

import pulumi_kubernetes as kubernetes
import pytest

from mlops_platform.components.core import ArgsError
from mlops_platform.components.eks import (
    ClusterAccess,
    ClusterMonitoring,
    ClusterMonitoringArgs,
    NodeGroupSpec,
    Taint,
)
from mlops_platform.components.eks.cluster.monitoring import gpu_tolerations
from mlops_platform.components.observability import grafana, monitoring_stack
from mlops_platform.components.observability.dashboards import ServiceTarget
from mlops_platform.components.observability.monitoring_stack import ClusterMonitoringSpec
from mlops_platform.testing import Registration, Registry
from tests.conftest import RunProgram, policy

ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/ABC123"
OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123"
TOPIC = "arn:aws:sns:us-east-1:123456789012:prod-alerts"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
GROUPS = (
    NodeGroupSpec(name="a10g", instance_types=["g5.xlarge"], min_size=0, max_size=2),
    NodeGroupSpec(name="l4", instance_types=["g6.xlarge"], min_size=0, max_size=2, taints=[
        Taint(key="nvidia.com/gpu", value="true"),
        Taint(key="team", value="search", effect="NO_EXECUTE"),
    ]),
)  # fmt: skip
SERVICES = tuple(
    ServiceTarget(cluster_name="", namespace=n, service_name=n, rollout_name=n)
    for n in ("fraud", "churn")
)


def monitoring(run: RunProgram, spec: ClusterMonitoringSpec | None = None) -> Registry:
    def program() -> None:
        provider = kubernetes.Provider("k8s", kubeconfig="{}")
        access = ClusterAccess(oidc_provider_arn=OIDC_ARN, oidc_issuer_url=ISSUER,
                               provider=provider)  # fmt: skip
        args = ClusterMonitoringArgs(
            topic_arn=TOPIC, topic_key_arn=KEY, gpu_node_groups=GROUPS, services=SERVICES,
            spec=spec or ClusterMonitoringSpec(), tags={"Owner": "ml"},
        )  # fmt: skip
        ClusterMonitoring("mon", args, access)

    return run(program)


def releases(registry: Registry) -> dict[str, Registration]:
    return {r.inputs["chart"]: r for r in registry.all("kubernetes:helm.sh/v3:Release")}


def test_the_stack_makes_exactly_these_children(run: RunProgram) -> None:
    registry = monitoring(run)
    children = registry.children_of(registry.one("mlops:eks:ClusterMonitoring", "mon"))
    assert Counter(child.type for child in children) == {
        "aws:iam/role:Role": 1,
        "aws:iam/rolePolicy:RolePolicy": 1,
        "random:index/randomPassword:RandomPassword": 1,
        "kubernetes:core/v1:Namespace": 1,
        "kubernetes:core/v1:Secret": 1,
        "kubernetes:helm.sh/v3:Release": 2,
        "kubernetes:core/v1:ConfigMap": 2,
        "kubernetes:monitoring.coreos.com/v1:PrometheusRule": 2,
    }


def test_both_charts_are_pinned_and_installed_through_the_clusters_provider(
    run: RunProgram,
) -> None:
    registry = monitoring(run)
    provider = registry.one("pulumi:providers:kubernetes", "k8s")
    found = {r.inputs["chart"]: r for r in registry.all("kubernetes:helm.sh/v3:Release")}
    assert {chart: (r.inputs["version"], r.inputs["repositoryOpts"]["repo"])
            for chart, r in found.items()} == {
        "kube-prometheus-stack": ("89.0.0", "https://prometheus-community.github.io/helm-charts"),
        "dcgm-exporter": ("4.1.1", "https://nvidia.github.io/dcgm-exporter/helm-charts"),
    }  # fmt: skip
    for release in found.values():
        assert release.provider == provider.urn
        assert release.inputs["namespace"] == "observability"
        assert release.inputs["atomic"] is True
    # The exporter's ServiceMonitor needs the stack's CRDs.
    assert found["kube-prometheus-stack"].urn in found["dcgm-exporter"].dependencies


def test_alertmanager_may_only_publish_to_the_topic_with_its_key(run: RunProgram) -> None:
    registry = monitoring(run)
    document = policy(registry.one("aws:iam/rolePolicy:RolePolicy", "mon-alertmanager-publish"))
    assert document["Statement"] == [
        {"Sid": "PublishAlerts", "Effect": "Allow", "Action": "sns:Publish", "Resource": TOPIC},
        {"Sid": "EncryptForTheTopic", "Effect": "Allow",
         "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": KEY},
    ]  # fmt: skip
    role = registry.one("aws:iam/role:Role", "mon-alertmanager-role")
    (assume,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    condition = assume["Condition"]["StringEquals"]
    host = ISSUER.removeprefix("https://")
    assert condition == {f"{host}:sub": "system:serviceaccount:observability:alertmanager",
                         f"{host}:aud": "sts.amazonaws.com"}  # fmt: skip
    values = releases(registry)["kube-prometheus-stack"].inputs["values"]
    account = values["alertmanager"]["serviceAccount"]
    assert account["name"] == "alertmanager"
    assert account["annotations"]["eks.amazonaws.com/role-arn"] == role.state["arn"]
    receiver = values["alertmanager"]["config"]["receivers"][1]["sns_configs"][0]
    assert (receiver["topic_arn"], receiver["sigv4"]) == (TOPIC, {"region": "us-east-1"})


def test_grafanas_password_is_generated_and_kept_in_a_secret_only(run: RunProgram) -> None:
    registry = monitoring(run)
    secret = registry.one("kubernetes:core/v1:Secret", "mon-grafana-admin")
    assert secret.inputs["metadata"] == {"name": "grafana-admin", "namespace": "observability"}
    assert registry.one("random:index/randomPassword:RandomPassword").inputs["length"] == 32
    values = releases(registry)["kube-prometheus-stack"].inputs["values"]
    assert values["grafana"]["admin"]["existingSecret"] == "grafana-admin"
    assert "adminPassword" not in json.dumps(values)
    assert secret.urn in releases(registry)["kube-prometheus-stack"].dependencies


def test_the_exporter_tolerates_every_gpu_taint_and_nothing_else() -> None:
    assert gpu_tolerations(GROUPS) == [
        {"key": "nvidia.com/gpu", "operator": "Equal", "value": "true", "effect": "NoSchedule"},
        {"key": "team", "operator": "Equal", "value": "search", "effect": "NoExecute"},
    ]
    bare = NodeGroupSpec(name="g", instance_types=["g5.xlarge"], min_size=0, max_size=2, taints=[
        Taint(key="nvidia.com/gpu", value="true"), Taint(key="dedicated", value="")])  # fmt: skip
    assert gpu_tolerations([bare])[1] == {"key": "dedicated", "operator": "Exists",
                                          "effect": "NoSchedule"}  # fmt: skip


def test_each_service_gets_its_dashboard_and_its_rules(run: RunProgram) -> None:
    registry = monitoring(run, ClusterMonitoringSpec(max_error_rate=0.02, max_p95_seconds=0.5))
    stack = releases(registry)["kube-prometheus-stack"]
    for target in SERVICES:
        board = registry.one("kubernetes:core/v1:ConfigMap", f"mon-{target.service_name}-dashboard")
        assert board.inputs == monitoring_stack.dashboard_config_map(target) | {
            "apiVersion": "v1", "kind": "ConfigMap"}  # fmt: skip
        rules = registry.one("kubernetes:monitoring.coreos.com/v1:PrometheusRule",
                             f"mon-{target.service_name}-rules")  # fmt: skip
        expected = grafana.prometheus_rules(target, max_error_rate=0.02, max_p95_seconds=0.5)
        assert rules.inputs["spec"] == expected["spec"]
        assert rules.inputs["metadata"]["namespace"] == target.namespace
        assert stack.urn in rules.dependencies  # the CRD comes first


def test_retention_reaches_prometheus(run: RunProgram) -> None:
    registry = monitoring(run, ClusterMonitoringSpec(retention_days=9, retention_gb=8))
    values = releases(registry)["kube-prometheus-stack"].inputs["values"]
    assert values["prometheus"]["prometheusSpec"]["retention"] == "9d"
    assert values["prometheus"]["prometheusSpec"]["retentionSize"] == "8GB"


def test_a_name_too_long_for_the_role_is_refused_before_anything_registers() -> None:
    with pytest.raises(ArgsError, match="name"):
        ClusterMonitoring("m" * 60, ClusterMonitoringArgs(
            topic_arn=TOPIC, topic_key_arn=KEY, gpu_node_groups=GROUPS),
            ClusterAccess(oidc_provider_arn=OIDC_ARN, oidc_issuer_url=ISSUER,
                          provider=None),  # type: ignore[arg-type]
        )  # fmt: skip
