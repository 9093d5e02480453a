"""The EKS serving cluster: control plane, system and GPU node groups, and cluster software."""

from mlops_platform.components.eks.cluster.access import ClusterAccess
from mlops_platform.components.eks.cluster.args import GpuClusterArgs
from mlops_platform.components.eks.cluster.cluster import GpuCluster
from mlops_platform.components.eks.cluster.cluster_software import ClusterSoftware
from mlops_platform.components.eks.cluster.deployer import DeployerSpec
from mlops_platform.components.eks.cluster.monitoring import (
    ClusterMonitoring,
    ClusterMonitoringArgs,
)
from mlops_platform.components.eks.cluster.node_groups import (
    CapacityType,
    NodeGroupSpec,
    Taint,
    TaintEffect,
)
from mlops_platform.components.eks.cluster.software import PlatformCluster

__all__ = [
    "CapacityType",
    "ClusterAccess",
    "ClusterMonitoring",
    "ClusterMonitoringArgs",
    "ClusterSoftware",
    "DeployerSpec",
    "GpuCluster",
    "GpuClusterArgs",
    "NodeGroupSpec",
    "PlatformCluster",
    "Taint",
    "TaintEffect",
]
