"""GPU serving on EKS: the cluster (`eks.cluster`) and the model services on it (`eks.service`)."""

from mlops_platform.components.eks.cluster import (
    CapacityType,
    ClusterAccess,
    ClusterMonitoring,
    ClusterMonitoringArgs,
    ClusterSoftware,
    DeployerSpec,
    GpuCluster,
    GpuClusterArgs,
    NodeGroupSpec,
    PlatformCluster,
    Taint,
    TaintEffect,
)
from mlops_platform.components.eks.service import (
    AnalysisSpec,
    CanaryStep,
    DisruptionSpec,
    ModelService,
    ModelServiceArgs,
    ServiceAutoscalingSpec,
)

__all__ = [
    "AnalysisSpec",
    "CanaryStep",
    "CapacityType",
    "ClusterAccess",
    "ClusterMonitoring",
    "ClusterMonitoringArgs",
    "ClusterSoftware",
    "DeployerSpec",
    "DisruptionSpec",
    "GpuCluster",
    "GpuClusterArgs",
    "ModelService",
    "ModelServiceArgs",
    "NodeGroupSpec",
    "PlatformCluster",
    "ServiceAutoscalingSpec",
    "Taint",
    "TaintEffect",
]
