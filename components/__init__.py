"""Pulumi components that take ML models safely to production on AWS.

One package per area (`core`, `network`, `sagemaker`, `eks`, ...); import what you build with
from here or from the area. Modules starting with an underscore are private to their area.
"""

from mlops_platform.components.core import ArgsError, InvalidInputError, Placement, Problem
from mlops_platform.components.eks import (
    AnalysisSpec,
    CanaryStep,
    ClusterAccess,
    DisruptionSpec,
    GpuCluster,
    GpuClusterArgs,
    ModelService,
    ModelServiceArgs,
    NodeGroupSpec,
    ServiceAutoscalingSpec,
    Taint,
)
from mlops_platform.components.network import Network, NetworkArgs
from mlops_platform.components.sagemaker import (
    AlarmThresholds,
    DataCaptureSpec,
    ModelEndpoint,
    ModelEndpointArgs,
    RolloutSpec,
    VariantAutoscalingSpec,
    VariantSpec,
)

__all__ = [
    "AlarmThresholds",
    "AnalysisSpec",
    "ArgsError",
    "CanaryStep",
    "ClusterAccess",
    "DataCaptureSpec",
    "DisruptionSpec",
    "GpuCluster",
    "GpuClusterArgs",
    "InvalidInputError",
    "ModelEndpoint",
    "ModelEndpointArgs",
    "ModelService",
    "ModelServiceArgs",
    "Network",
    "NetworkArgs",
    "NodeGroupSpec",
    "Placement",
    "Problem",
    "RolloutSpec",
    "ServiceAutoscalingSpec",
    "Taint",
    "VariantAutoscalingSpec",
    "VariantSpec",
]
