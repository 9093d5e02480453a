"""A model service on the cluster: an Argo Rollout canaried by analysis, with HPA and PDB."""

from mlops_platform.components.eks.service.args import ModelServiceArgs
from mlops_platform.components.eks.service.canary import CanaryStep
from mlops_platform.components.eks.service.service import ModelService
from mlops_platform.components.eks.service.specs import (
    AnalysisSpec,
    DisruptionSpec,
    ServiceAutoscalingSpec,
)

__all__ = [
    "AnalysisSpec",
    "CanaryStep",
    "DisruptionSpec",
    "ModelService",
    "ModelServiceArgs",
    "ServiceAutoscalingSpec",
]
