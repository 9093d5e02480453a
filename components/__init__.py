"""Pulumi components that take ML models safely to production on AWS.

Import what you build with from here; modules starting with an underscore are internal.
"""

from components._alarms import AlarmThresholds
from components._canary import CanaryStep
from components._node_groups import NodeGroupSpec, Taint
from components._service_specs import AnalysisSpec, DisruptionSpec, ServiceAutoscalingSpec
from components._stores import DataCaptureSpec
from components._traffic import RolloutSpec
from components._variants import VariantAutoscalingSpec, VariantSpec
from components.errors import ArgsError, InvalidInputError, Problem
from components.gpu_cluster import GpuCluster, GpuClusterArgs
from components.model_endpoint import ModelEndpoint, ModelEndpointArgs
from components.model_service import ModelService, ModelServiceArgs
from components.network import Network, NetworkArgs

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
