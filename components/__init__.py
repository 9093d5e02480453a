"""Pulumi components that take ML models safely to production on AWS.

Import what you build with from here; modules starting with an underscore are internal.
"""

from components._alarms import AlarmThresholds
from components._stores import DataCaptureSpec
from components._traffic import RolloutSpec
from components._variants import AutoscalingSpec, VariantSpec
from components.errors import ArgsError, InvalidInputError, Problem
from components.model_endpoint import ModelEndpoint, ModelEndpointArgs
from components.network import Network, NetworkArgs

__all__ = [
    "AlarmThresholds",
    "ArgsError",
    "AutoscalingSpec",
    "DataCaptureSpec",
    "InvalidInputError",
    "ModelEndpoint",
    "ModelEndpointArgs",
    "Network",
    "NetworkArgs",
    "Problem",
    "RolloutSpec",
    "VariantSpec",
]
