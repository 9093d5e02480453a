"""SageMaker endpoints with blue-green rollouts, A/B and shadow variants, and alarm rollback."""

from mlops_platform.components.sagemaker.alarm_rules import AlarmThresholds
from mlops_platform.components.sagemaker.args import ModelEndpointArgs
from mlops_platform.components.sagemaker.capture import DataCaptureSpec
from mlops_platform.components.sagemaker.endpoint import ModelEndpoint
from mlops_platform.components.sagemaker.rollout import RolloutSpec, StepUnit, Strategy
from mlops_platform.components.sagemaker.variants import VariantAutoscalingSpec, VariantSpec

__all__ = [
    "AlarmThresholds",
    "DataCaptureSpec",
    "ModelEndpoint",
    "ModelEndpointArgs",
    "RolloutSpec",
    "StepUnit",
    "Strategy",
    "VariantAutoscalingSpec",
    "VariantSpec",
]
