"""Pulumi components that take ML models safely to production on AWS.

Import what you build with from here; modules starting with an underscore are internal.
"""

from components._canary import CanaryStep
from components._node_groups import NodeGroupSpec, Taint
from components._service_specs import AnalysisSpec, AutoscalingSpec, DisruptionSpec
from components.errors import ArgsError, InvalidInputError, Problem
from components.gpu_cluster import GpuCluster, GpuClusterArgs
from components.model_service import ModelService, ModelServiceArgs
from components.network import Network, NetworkArgs

__all__ = [
    "AnalysisSpec",
    "ArgsError",
    "AutoscalingSpec",
    "CanaryStep",
    "DisruptionSpec",
    "GpuCluster",
    "GpuClusterArgs",
    "InvalidInputError",
    "ModelService",
    "ModelServiceArgs",
    "Network",
    "NetworkArgs",
    "NodeGroupSpec",
    "Problem",
    "Taint",
]
