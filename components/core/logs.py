"""CloudWatch Logs limits every component with a log group shares."""

from __future__ import annotations

from mlops_platform.components.core.errors import Problem

# fmt: off
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                      2192, 2557, 2922, 3288, 3653)
# fmt: on
"""The retention periods CloudWatch Logs accepts."""


def check_retention(field: str, days: object) -> list[Problem]:
    """A problem when `days` is not a retention period CloudWatch Logs accepts."""
    if days in LOG_RETENTION_DAYS and not isinstance(days, bool):
        return []
    allowed = ", ".join(map(str, LOG_RETENTION_DAYS))
    return [Problem(field, days, f"CloudWatch Logs accepts {allowed}")]
