"""Pulumi components that take ML models safely to production on AWS.

Import what you build with from here; modules starting with an underscore are internal.
"""

from mlops_platform.components._alarms import AlarmThresholds
from mlops_platform.components._canary import CanaryStep
from mlops_platform.components._node_groups import NodeGroupSpec, Taint
from mlops_platform.components._service_specs import (
    AnalysisSpec,
    DisruptionSpec,
    ServiceAutoscalingSpec,
)
from mlops_platform.components._stores import DataCaptureSpec
from mlops_platform.components._traffic import RolloutSpec
from mlops_platform.components._variants import VariantAutoscalingSpec, VariantSpec
from mlops_platform.components.errors import ArgsError, InvalidInputError, Problem
from mlops_platform.components.gpu_cluster import GpuCluster, GpuClusterArgs
from mlops_platform.components.model_endpoint import ModelEndpoint, ModelEndpointArgs
from mlops_platform.components.model_service import ModelService, ModelServiceArgs
from mlops_platform.components.network import Network, NetworkArgs

__all__ = [
    "AlarmThresholds",
    "AnalysisSpec",
    "ArgsError",
    "CanaryStep",
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
    "Problem",
    "RolloutSpec",
    "ServiceAutoscalingSpec",
    "Taint",
    "VariantAutoscalingSpec",
    "VariantSpec",
]
