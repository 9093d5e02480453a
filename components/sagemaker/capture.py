"""Data capture: which requests and responses an endpoint writes to its bucket, and the checks."""

from __future__ import annotations

from dataclasses import dataclass

from mlops_platform.components.core.checks import is_whole
from mlops_platform.components.core.errors import Problem

CAPTURE_PREFIX = "data-capture"
"""The key prefix under which SageMaker writes captured requests and responses."""


@dataclass(frozen=True, kw_only=True)
class DataCaptureSpec:
    """Capture requests and responses to the endpoint's encrypted bucket."""

    sampling_percentage: int = 20
    """Share of requests captured, 0-100. Captured payloads are data: size it to what you
    will look at."""


def check_capture(spec: DataCaptureSpec) -> list[Problem]:
    """The sampling percentage SageMaker accepts."""
    value = spec.sampling_percentage
    if not is_whole(value) or not 0 <= value <= 100:  # noqa: PLR2004 - a percentage
        return [Problem("data_capture.sampling_percentage", value, "a whole number, 0-100")]
    return []
