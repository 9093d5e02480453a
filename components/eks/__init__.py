"""GPU serving on EKS: the cluster (`eks.cluster`) and the model services on it (`eks.service`)."""

from mlops_platform.components.eks.cluster import (
    CapacityType,
    ClusterAccess,
    GpuCluster,
    GpuClusterArgs,
    NodeGroupSpec,
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
    "DisruptionSpec",
    "GpuCluster",
    "GpuClusterArgs",
    "ModelService",
    "ModelServiceArgs",
    "NodeGroupSpec",
    "ServiceAutoscalingSpec",
    "Taint",
    "TaintEffect",
]
