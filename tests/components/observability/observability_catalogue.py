"""What the platform emits, written down once: every metric a dashboard or alert may use.

CloudWatch metrics map (namespace, metric) to the dimension sets they are published with.
Sources: SageMaker's "Monitor SageMaker AI with CloudWatch" (invocation and instance metrics),
CloudWatch's "Amazon EKS and Kubernetes Container Insights metrics", and the drift check
(namespace mlops/Drift). Prometheus metrics map each exporter the cluster runs to its series
and the labels a query may select or group by.
"""

from __future__ import annotations

ENDPOINT = frozenset({"EndpointName", "VariantName"})
SERVICE = frozenset({"Service", "Namespace", "ClusterName"})

CLOUDWATCH: dict[tuple[str, str], set[frozenset[str]]] = {
    **{
        ("AWS/SageMaker", name): {ENDPOINT}
        for name in (
            "Invocations",
            "Invocation4XXErrors",
            "Invocation5XXErrors",
            "InvocationsPerInstance",
            "ModelLatency",
            "OverheadLatency",
        )
    },
    **{
        ("/aws/sagemaker/Endpoints", name): {ENDPOINT}
        for name in (
            "CPUUtilization",
            "MemoryUtilization",
            "DiskUtilization",
            "GPUUtilization",
            "GPUMemoryUtilization",
        )
    },
    ("mlops/Drift", "FeatureDrift"): {frozenset({"Endpoint", "Feature", "Statistic"})},
    ("mlops/Drift", "DriftDetected"): {frozenset({"Endpoint"})},
    ("mlops/Drift", "CaptureRecords"): {frozenset({"Endpoint"})},
    ("mlops/Drift", "MalformedRecords"): {frozenset({"Endpoint"})},
    **{
        ("ContainerInsights", name): {SERVICE}
        for name in (
            "pod_cpu_utilization",
            "pod_memory_utilization",
            "pod_network_rx_bytes",
            "pod_network_tx_bytes",
            "service_number_of_running_pods",
        )
    },
}
DRIFT_STATISTICS = {"KS_D", "KS_p", "PSI"}
"""What the Statistic dimension of FeatureDrift takes."""

SCRAPE_LABELS = {"namespace", "pod", "app_kubernetes_io_name", "rollouts_pod_template_hash"}
"""Labels the annotation scrape job puts on every series of a model pod."""
PROMETHEUS: dict[str, dict[str, set[str]]] = {
    "model server": {
        "http_requests_total": SCRAPE_LABELS | {"code"},
        "http_request_duration_seconds_bucket": SCRAPE_LABELS | {"le"},
        "up": SCRAPE_LABELS,
    },
    "dcgm-exporter": {"DCGM_FI_DEV_GPU_UTIL": {"gpu", "UUID", "namespace", "pod", "container"}},
    "argo-rollouts controller": {"rollout_info": {"name", "namespace", "phase", "strategy"}},
}
PROMETHEUS_METRICS = {m: labels for series in PROMETHEUS.values() for m, labels in series.items()}
