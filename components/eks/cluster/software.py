"""Cluster software from Helm charts at pinned versions: GPUs, metrics, autoscaling, rollouts.

The charts and their values are plain data here, so tests and reviewers read exactly what a
cluster gets; `install` turns them into `helm.v3.Release` resources on the cluster's provider.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as kubernetes

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.eks import _irsa
from mlops_platform.components.eks.cluster.node_groups import ACCELERATOR_LABEL, GPU_RESOURCE

PROMETHEUS_URL = "http://prometheus-server.monitoring.svc.cluster.local:80"
"""Where Prometheus answers inside the cluster; canary analysis queries it."""
REQUESTS_METRIC = "http_requests_total"
"""The counter every model server exports, labelled with the HTTP status `code`."""
LATENCY_METRIC = "http_request_duration_seconds"
"""The latency histogram every model server exports."""
SERVING_METRIC = "http_requests_per_second"
"""The per-pod metric the Prometheus adapter derives from `REQUESTS_METRIC` for the HPA."""
AUTOSCALER_ACCOUNT = "cluster-autoscaler"
AUTOSCALER_IMAGE_TAGS: Mapping[str, str] = {
    "1.31": "v1.31.0",
    "1.32": "v1.32.0",
    "1.33": "v1.33.0",
}
"""The cluster autoscaler release matching each supported Kubernetes minor version."""


@dataclass(frozen=True)
class Chart:
    """One Helm chart at a pinned version, and where its release goes."""

    release: str
    chart: str
    version: str
    repo: str
    namespace: str


_PROMETHEUS_CHARTS = "https://prometheus-community.github.io/helm-charts"
CHARTS: Mapping[str, Chart] = {
    "nvidia-device-plugin": Chart(
        "nvidia-device-plugin",
        "nvidia-device-plugin",
        "0.17.1",
        "https://nvidia.github.io/k8s-device-plugin",
        "kube-system",
    ),
    "metrics-server": Chart(
        "metrics-server",
        "metrics-server",
        "3.12.2",
        "https://kubernetes-sigs.github.io/metrics-server/",
        "kube-system",
    ),
    "cluster-autoscaler": Chart(
        "cluster-autoscaler",
        "cluster-autoscaler",
        "9.43.1",
        "https://kubernetes.github.io/autoscaler",
        "kube-system",
    ),
    "prometheus": Chart("prometheus", "prometheus", "27.11.0", _PROMETHEUS_CHARTS, "monitoring"),
    "prometheus-adapter": Chart(
        "prometheus-adapter", "prometheus-adapter", "4.14.1", _PROMETHEUS_CHARTS, "monitoring"
    ),
    "argo-rollouts": Chart(
        "argo-rollouts",
        "argo-rollouts",
        "2.40.1",
        "https://argoproj.github.io/argo-helm",
        "argo-rollouts",
    ),
}
"""Every chart a cluster gets, by key."""


def device_plugin_values() -> dict[str, Any]:
    """Run the plugin on GPU nodes only (by the accelerator label), tolerating their taint."""
    return {
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {"matchExpressions": [{"key": ACCELERATOR_LABEL, "operator": "Exists"}]}
                    ]
                }
            }
        },
        "tolerations": [
            {"key": GPU_RESOURCE, "operator": "Exists", "effect": "NoSchedule"},
            {"key": "CriticalAddonsOnly", "operator": "Exists"},
        ],
    }


def prometheus_values() -> dict[str, Any]:
    """A short-window Prometheus for autoscaling and canary analysis, scraping annotated pods.

    No persistent volume: the cluster has no EBS CSI driver, and these metrics matter for
    minutes, not months. Long-term metrics belong in a managed service.
    """
    return {
        "alertmanager": {"enabled": False},
        "prometheus-pushgateway": {"enabled": False},
        "server": {"persistentVolume": {"enabled": False}, "retention": "2d"},
    }


def adapter_values() -> dict[str, Any]:
    """Expose `http_requests_per_second` per pod, from `http_requests_total`, to the HPA."""
    return {
        "prometheus": {"url": "http://prometheus-server.monitoring.svc.cluster.local", "port": 80},
        "rules": {
            "default": False,
            "custom": [
                {
                    "seriesQuery": f'{REQUESTS_METRIC}{{namespace!="",pod!=""}}',
                    "resources": {
                        "overrides": {
                            "namespace": {"resource": "namespace"},
                            "pod": {"resource": "pod"},
                        }
                    },
                    "name": {"matches": "^(.*)_total$", "as": "${1}_per_second"},
                    "metricsQuery": "sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by "
                    "(<<.GroupBy>>)",
                }
            ],
        },
    }


def argo_rollouts_values() -> dict[str, Any]:
    """The controller with its CRDs, kept when the chart is removed so Rollouts survive."""
    return {"installCRDs": True, "keepCRDs": True, "dashboard": {"enabled": False}}


def autoscaler_values(
    cluster_name: pulumi.Input[str],
    region: pulumi.Input[str],
    role_arn: pulumi.Input[str],
    kubernetes_version: str,
) -> dict[str, Any]:
    """Discover this cluster's node groups by their tags; scale GPU groups from and to zero."""
    return {
        "cloudProvider": "aws",
        "awsRegion": region,
        "autoDiscovery": {"clusterName": cluster_name},
        "image": {"tag": AUTOSCALER_IMAGE_TAGS[kubernetes_version]},
        "rbac": {
            "serviceAccount": {
                "name": AUTOSCALER_ACCOUNT,
                "annotations": {"eks.amazonaws.com/role-arn": role_arn},
            }
        },
        "extraArgs": {"balance-similar-node-groups": True, "expander": "least-waste"},
    }


def autoscaler_policy(cluster_name: pulumi.Input[str]) -> _iam.PolicyDocument:
    """Read node groups anywhere; resize only the groups tagged as this cluster's own."""
    owned = pulumi.Output.concat("aws:ResourceTag/k8s.io/cluster-autoscaler/", cluster_name)
    return _iam.document(
        {
            "Sid": "DiscoverNodeGroups",
            "Effect": "Allow",
            "Action": [
                "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:DescribeAutoScalingInstances",
                "autoscaling:DescribeLaunchConfigurations",
                "autoscaling:DescribeScalingActivities",
                "autoscaling:DescribeTags",
                "ec2:DescribeImages",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeLaunchTemplateVersions",
                "ec2:GetInstanceTypesFromInstanceRequirements",
                "eks:DescribeNodegroup",
            ],
            "Resource": "*",
        },
        {
            "Sid": "ResizeOwnNodeGroupsOnly",
            "Effect": "Allow",
            "Action": [
                "autoscaling:SetDesiredCapacity",
                "autoscaling:TerminateInstanceInAutoScalingGroup",
            ],
            "Resource": "*",
            "Condition": owned.apply(lambda key: {"StringEquals": {key: "owned"}}),
        },
    )


@dataclass(frozen=True, kw_only=True)
class PlatformCluster:
    """The cluster as the platform layer's outputs describe it (through a StackReference)."""

    cluster_name: pulumi.Input[str]
    endpoint: pulumi.Input[str]
    certificate_authority: pulumi.Input[str]
    oidc_provider_arn: pulumi.Input[str]
    oidc_issuer_url: pulumi.Input[str]
    kubernetes_version: str


def install(
    children: Children,
    *,
    context: AwsContext,
    cluster: PlatformCluster,
    provider: kubernetes.Provider,
) -> list[kubernetes.helm.v3.Release]:
    """Install every chart of `CHARTS` through `provider` on the platform layer's cluster."""
    role = _irsa.service_account_role(
        children,
        "autoscaler-role",
        provider_arn=cluster.oidc_provider_arn,
        issuer_url=cluster.oidc_issuer_url,
        namespace=CHARTS["cluster-autoscaler"].namespace,
        account=AUTOSCALER_ACCOUNT,
    )
    aws.iam.RolePolicy(
        children.name("autoscaler-scale-node-groups"),
        role=role.name,
        policy=_iam.to_json(autoscaler_policy(cluster.cluster_name)),
        opts=children.opts(),
    )
    values: dict[str, dict[str, Any]] = {
        "nvidia-device-plugin": device_plugin_values(),
        "metrics-server": {},
        "cluster-autoscaler": autoscaler_values(
            cluster.cluster_name, context.region, role.arn, cluster.kubernetes_version
        ),
        "prometheus": prometheus_values(),
        "prometheus-adapter": adapter_values(),
        "argo-rollouts": argo_rollouts_values(),
    }
    releases: dict[str, kubernetes.helm.v3.Release] = {}
    for key, chart in CHARTS.items():
        after = [releases["prometheus"]] if key == "prometheus-adapter" else []
        releases[key] = kubernetes.helm.v3.Release(
            children.name(key),
            name=chart.release,
            chart=chart.chart,
            version=chart.version,
            repository_opts={"repo": chart.repo},
            namespace=chart.namespace,
            create_namespace=True,
            atomic=True,  # a failed install or upgrade rolls itself back
            cleanup_on_fail=True,
            timeout=900,
            values=values[key],
            opts=pulumi.ResourceOptions(
                parent=children.parent, provider=provider, depends_on=after
            ),
        )
    return list(releases.values())
