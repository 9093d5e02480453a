"""The EKS serving cluster: control plane, system and GPU node groups, and cluster software."""

from mlops_platform.components.eks.cluster.access import ClusterAccess
from mlops_platform.components.eks.cluster.args import GpuClusterArgs
from mlops_platform.components.eks.cluster.cluster import GpuCluster
from mlops_platform.components.eks.cluster.node_groups import (
    CapacityType,
    NodeGroupSpec,
    Taint,
    TaintEffect,
)

__all__ = [
    "CapacityType",
    "ClusterAccess",
    "GpuCluster",
    "GpuClusterArgs",
    "NodeGroupSpec",
    "Taint",
    "TaintEffect",
]
