"""The Kubernetes objects of a model service, as plain dictionaries built by pure functions.

What these return is exactly what the component registers, so the same objects can be exported
from a preview and validated against the Kubernetes schemas.
"""

from __future__ import annotations

import math
from typing import Any

import pulumi

from mlops_platform.components.eks.cluster.node_groups import ACCELERATOR_LABEL, GPU_RESOURCE
from mlops_platform.components.eks.cluster.software import (
    LATENCY_METRIC,
    PROMETHEUS_URL,
    REQUESTS_METRIC,
    SERVING_METRIC,
)
from mlops_platform.components.eks.service.args import ModelServiceArgs
from mlops_platform.components.eks.service.canary import CANARY_HASH_ARG, argo_steps

Manifest = dict[str, Any]
ROLLOUTS_API = "argoproj.io/v1alpha1"
NAME_LABEL = "app.kubernetes.io/name"
PROBE_PERIOD_SECONDS = 10
SERVICE_PORT = 80
_RESTRICTED = "restricted"


def selector(args: ModelServiceArgs) -> dict[str, str]:
    """The label that selects the service's pods."""
    return {NAME_LABEL: args.service_name}


def labels(args: ModelServiceArgs) -> dict[str, str]:
    """Labels every object of the service carries."""
    return {
        **selector(args),
        "app.kubernetes.io/part-of": "mlops-platform",
        "app.kubernetes.io/managed-by": "pulumi",
    }


def metadata(args: ModelServiceArgs, name: str | None = None) -> dict[str, Any]:
    """Metadata of a namespaced object of the service."""
    return {
        "name": name or args.service_name,
        "namespace": args.service_name,
        "labels": labels(args),
    }


def namespace(args: ModelServiceArgs) -> Manifest:
    """The service's namespace, which admits only pods meeting the `restricted` standard."""
    security = {
        f"pod-security.kubernetes.io/{mode}": _RESTRICTED for mode in ("enforce", "audit", "warn")
    }
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": args.service_name, "labels": {**labels(args), **security}},
    }


def service_account(args: ModelServiceArgs, role_arn: pulumi.Input[str]) -> Manifest:
    """The pods' identity: bound to the IAM role that reads the model, and nothing else."""
    meta = metadata(args)
    meta["annotations"] = {"eks.amazonaws.com/role-arn": role_arn}
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": meta,
        "automountServiceAccountToken": False,
    }


def _http_probe(path: str, period: int, failures: int) -> dict[str, Any]:
    return {
        "httpGet": {"path": path, "port": "http"},
        "periodSeconds": period,
        "timeoutSeconds": 5,
        "failureThreshold": failures,
    }


def container(args: ModelServiceArgs) -> dict[str, Any]:
    """The model server: GPUs, requests, probes; it cannot gain privileges or write its image."""
    gpus = str(args.gpus)
    startup_failures = math.ceil(args.startup_timeout_seconds / PROBE_PERIOD_SECONDS)
    env = {**args.env, "MODEL_URI": args.model_uri}
    return {
        "name": "model",
        "image": args.image,
        "ports": [{"name": "http", "containerPort": args.port, "protocol": "TCP"}],
        "env": [{"name": key, "value": value} for key, value in sorted(env.items())],
        "resources": {
            "requests": {"cpu": args.cpu, "memory": args.memory, GPU_RESOURCE: gpus},
            "limits": {"memory": args.memory, GPU_RESOURCE: gpus},
        },
        "startupProbe": _http_probe(args.liveness_path, PROBE_PERIOD_SECONDS, startup_failures),
        "readinessProbe": _http_probe(args.readiness_path, 5, 3),
        "livenessProbe": _http_probe(args.liveness_path, PROBE_PERIOD_SECONDS, 3),
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "capabilities": {"drop": ["ALL"]},
        },
        "volumeMounts": [
            {"name": "tmp", "mountPath": "/tmp"},  # an emptyDir: the root filesystem is read-only
            {"name": "model-cache", "mountPath": "/models"},
        ],
    }


def pod_template(args: ModelServiceArgs) -> dict[str, Any]:
    """Pods on GPU nodes of the service's accelerator, spread over zones, scraped by Prometheus."""
    return {
        "metadata": {
            "labels": labels(args),
            "annotations": {
                "prometheus.io/scrape": "true",
                "prometheus.io/port": str(args.port),
                "prometheus.io/path": "/metrics",
            },
        },
        "spec": {
            "serviceAccountName": args.service_name,
            "automountServiceAccountToken": False,
            "securityContext": {
                "runAsNonRoot": True,
                "runAsUser": args.run_as_user,
                "runAsGroup": args.run_as_user,
                "fsGroup": args.run_as_user,
                "seccompProfile": {"type": "RuntimeDefault"},
            },
            "containers": [container(args)],
            "nodeSelector": {ACCELERATOR_LABEL: args.accelerator},
            "tolerations": [{"key": GPU_RESOURCE, "operator": "Exists", "effect": "NoSchedule"}],
            "topologySpreadConstraints": [
                {
                    "maxSkew": 1,
                    "topologyKey": "topology.kubernetes.io/zone",
                    # A zone without free GPUs must not stop scaling: spread when possible.
                    "whenUnsatisfiable": "ScheduleAnyway",
                    "labelSelector": {"matchLabels": selector(args)},
                    "matchLabelKeys": ["rollouts-pod-template-hash"],
                }
            ],
            "terminationGracePeriodSeconds": 60,
            "volumes": [
                {"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}},
                {"name": "model-cache", "emptyDir": {"sizeLimit": args.model_cache_size}},
            ],
        },
    }


def rollout(args: ModelServiceArgs) -> Manifest:
    """The Argo Rollouts `Rollout`; replicas are left to the HPA."""
    return {
        "apiVersion": ROLLOUTS_API,
        "kind": "Rollout",
        "metadata": metadata(args),
        "spec": {
            "selector": {"matchLabels": selector(args)},
            "template": pod_template(args),
            "revisionHistoryLimit": 3,
            "progressDeadlineSeconds": args.startup_timeout_seconds + 300,
            "progressDeadlineAbort": True,
            "strategy": {
                "canary": {
                    "maxSurge": "25%",
                    "maxUnavailable": 0,
                    "steps": argo_steps(args.canary_steps, analysis_name(args)),
                }
            },
        },
    }


def service(args: ModelServiceArgs) -> Manifest:
    """A cluster-internal Service in front of the pods."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata(args),
        "spec": {
            "type": "ClusterIP",
            "selector": selector(args),
            "ports": [
                {"name": "http", "port": SERVICE_PORT, "targetPort": "http", "protocol": "TCP"}
            ],
        },
    }


def analysis_name(args: ModelServiceArgs) -> str:
    """The AnalysisTemplate's name."""
    return f"{args.service_name}-canary"


def analysis_template(args: ModelServiceArgs) -> Manifest:
    """Success rate and p95 latency of the canary's pods only, from Prometheus."""
    spec = args.analysis
    scope = (
        f'namespace="{args.service_name}",'
        f'rollouts_pod_template_hash="{{{{args.{CANARY_HASH_ARG}}}}}"'
    )
    success = (
        f'sum(rate({REQUESTS_METRIC}{{{scope},code!~"5.."}}[2m])) / '
        f"sum(rate({REQUESTS_METRIC}{{{scope}}}[2m]))"
    )
    latency = f"histogram_quantile(0.95, sum(rate({LATENCY_METRIC}_bucket{{{scope}}}[2m])) by (le))"
    common = {
        "interval": f"{spec.interval_seconds}s",
        "count": spec.count,
        "failureLimit": spec.failure_limit,
    }
    return {
        "apiVersion": ROLLOUTS_API,
        "kind": "AnalysisTemplate",
        "metadata": metadata(args, analysis_name(args)),
        "spec": {
            "args": [{"name": CANARY_HASH_ARG}],
            "metrics": [
                {
                    "name": "success-rate",
                    **common,
                    "successCondition": f"result[0] >= {spec.min_success_rate}",
                    "failureCondition": f"result[0] < {spec.min_success_rate}",
                    "provider": {"prometheus": {"address": PROMETHEUS_URL, "query": success}},
                },
                {
                    "name": "p95-latency",
                    **common,
                    "successCondition": f"result[0] <= {spec.max_p95_latency_seconds}",
                    "failureCondition": f"result[0] > {spec.max_p95_latency_seconds}",
                    "provider": {"prometheus": {"address": PROMETHEUS_URL, "query": latency}},
                },
            ],
        },
    }


def quantity(value: float) -> str:
    """A number as a Kubernetes quantity: `10`, or `2500m` for 2.5."""
    if float(value).is_integer():
        return str(int(value))
    return f"{round(value * 1000)}m"


def horizontal_pod_autoscaler(args: ModelServiceArgs) -> Manifest:
    """Scale the Rollout on CPU and requests per second; scale down slowly, one pod a minute."""
    scaling = args.autoscaling
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": metadata(args),
        "spec": {
            "scaleTargetRef": {
                "apiVersion": ROLLOUTS_API,
                "kind": "Rollout",
                "name": args.service_name,
            },
            "minReplicas": scaling.min_replicas,
            "maxReplicas": scaling.max_replicas,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {
                            "type": "Utilization",
                            "averageUtilization": scaling.target_cpu_utilization,
                        },
                    },
                },
                {
                    "type": "Pods",
                    "pods": {
                        "metric": {"name": SERVING_METRIC},
                        "target": {
                            "type": "AverageValue",
                            "averageValue": quantity(scaling.target_requests_per_second),
                        },
                    },
                },
            ],
            "behavior": {
                "scaleDown": {
                    "stabilizationWindowSeconds": scaling.scale_down_stabilization_seconds,
                    "selectPolicy": "Min",
                    "policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}],
                },
            },
        },
    }


def pod_disruption_budget(args: ModelServiceArgs) -> Manifest:
    """A budget that keeps capacity through drains but never blocks one."""
    budget = args.disruption
    limit: dict[str, int] = (
        {"maxUnavailable": budget.max_unavailable}
        if budget.max_unavailable is not None
        else {"minAvailable": budget.min_available or 0}
    )
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": metadata(args),
        "spec": {
            "selector": {"matchLabels": selector(args)},
            **limit,
            # Pods that are not ready protect nothing: let drains evict them.
            "unhealthyPodEvictionPolicy": "AlwaysAllow",
        },
    }
