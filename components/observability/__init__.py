"""Observability: dashboards, alarms and alerting for every model the platform serves."""

from mlops_platform.components.observability.args import (
    DriftDetectorArgs,
    DriftFeature,
    EndpointWatch,
    LambdaCode,
    ObservabilityArgs,
    ServiceWatch,
)
from mlops_platform.components.observability.drift import DriftDetector
from mlops_platform.components.observability.observability import Observability

__all__ = [
    "DriftDetector",
    "DriftDetectorArgs",
    "DriftFeature",
    "EndpointWatch",
    "LambdaCode",
    "Observability",
    "ObservabilityArgs",
    "ServiceWatch",
]
