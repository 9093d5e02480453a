"""ClusterSoftware: the serving layer's Helm releases on a cluster the platform layer created."""

from __future__ import annotations

import json
from collections import Counter

from mlops_platform.components.eks import ClusterSoftware, PlatformCluster
from mlops_platform.testing import Registry
from tests.conftest import RunProgram, policy, statement

ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/ABC"
CLUSTER = PlatformCluster(
    cluster_name="gc-1234abcd",
    endpoint="https://ABC.gr7.us-east-1.eks.amazonaws.com",
    certificate_authority="LS0tCg==",
    oidc_provider_arn="arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
    oidc_issuer_url=ISSUER,
    kubernetes_version="1.33",
)


def software(run: RunProgram) -> Registry:
    return run(lambda: ClusterSoftware("sw", CLUSTER, {"Owner": "ml"}))


def test_the_software_makes_exactly_these_children(run: RunProgram) -> None:
    registry = software(run)
    children = registry.children_of(registry.one("mlops:eks:ClusterSoftware", "sw"))
    assert Counter(child.type for child in children) == {
        "pulumi:providers:kubernetes": 1,
        "aws:iam/role:Role": 1,
        "aws:iam/rolePolicy:RolePolicy": 1,
        "kubernetes:helm.sh/v3:Release": 6,
    }


def test_cluster_software_is_pinned_and_installed_through_the_clusters_provider(
    run: RunProgram,
) -> None:
    registry = software(run)
    provider = registry.one("pulumi:providers:kubernetes")
    releases = {r.inputs["chart"]: r for r in registry.all("kubernetes:helm.sh/v3:Release")}
    assert {chart: r.inputs["version"] for chart, r in releases.items()} == {
        "nvidia-device-plugin": "0.17.1",
        "metrics-server": "3.12.2",
        "cluster-autoscaler": "9.43.1",
        "prometheus": "27.11.0",
        "prometheus-adapter": "4.14.1",
        "argo-rollouts": "2.40.1",
    }
    for release in releases.values():
        assert release.provider == provider.urn
        assert release.inputs["atomic"] is True
    assert releases["prometheus"].urn in releases["prometheus-adapter"].dependencies
    plugin = releases["nvidia-device-plugin"].inputs["values"]
    assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in plugin[
        "tolerations"
    ]


def test_kubeconfig_signs_with_the_callers_credentials_and_never_assumes_a_role(
    run: RunProgram,
) -> None:
    config = json.loads(software(run).one("pulumi:providers:kubernetes").inputs["kubeconfig"])
    assert config["clusters"][0]["cluster"] == {
        "server": CLUSTER.endpoint,
        "certificate-authority-data": CLUSTER.certificate_authority,
    }
    assert config["users"][0]["user"]["exec"]["args"] == [
        "eks", "get-token", "--cluster-name", "gc-1234abcd", "--region", "us-east-1",
        "--output", "json",
    ]  # fmt: skip


def test_autoscaler_may_resize_only_this_clusters_node_groups(run: RunProgram) -> None:
    registry = software(run)
    resize = statement(
        policy(registry.one("aws:iam/rolePolicy:RolePolicy", "sw-autoscaler-scale-node-groups")),
        "ResizeOwnNodeGroupsOnly",
    )
    assert resize["Condition"] == {
        "StringEquals": {"aws:ResourceTag/k8s.io/cluster-autoscaler/gc-1234abcd": "owned"}
    }
    trust = json.loads(
        registry.one("aws:iam/role:Role", "sw-autoscaler-role").inputs["assumeRolePolicy"]
    )
    assert trust["Statement"][0]["Principal"] == {"Federated": CLUSTER.oidc_provider_arn}
