"""`mlops:monitoring`: the serving cluster's Prometheus retention and the services' alert limits.

The block is optional: without it Prometheus keeps 15 days (at most 20 GB) and a service pages
above 5 % of 5XX answers or a p95 latency of 1 s. Prod keeps at least a week.
"""

from __future__ import annotations

from infra.schema import Section, StackContext, values_of
from mlops_platform.components.core import Problem
from mlops_platform.components.observability.monitoring_stack import ClusterMonitoringSpec

PROD_MIN_RETENTION_DAYS = 7
"""Prod keeps a week of metrics, enough to compare a release with the previous week's."""


class MonitoringSettings(Section):
    """Keys of `mlops:monitoring`; ranges are checked by `ClusterMonitoringSpec`."""

    retention_days: int | None = None
    """Days of metrics Prometheus keeps (default 15)."""
    retention_gb: int | None = None
    """Disk Prometheus may fill before it drops the oldest blocks early (default 20)."""
    max_error_rate: float | None = None
    """Share of 5XX answers above which a service pages (default 0.05)."""
    max_p95_seconds: float | None = None
    """p95 latency in seconds above which a service pages (default 1.0)."""


def build(settings: MonitoringSettings, context: StackContext) -> ClusterMonitoringSpec:
    """The spec from the keys the stack file sets; raises `ArgsError` naming each bad one."""
    del context
    return ClusterMonitoringSpec(**values_of(settings))


def environment_rules(spec: ClusterMonitoringSpec, context: StackContext) -> list[Problem]:
    """Prod keeps at least `PROD_MIN_RETENTION_DAYS` days of metrics."""
    if context.environment == "prod" and spec.retention_days < PROD_MIN_RETENTION_DAYS:
        reason = f"prod keeps at least {PROD_MIN_RETENTION_DAYS} days of metrics"
        return [Problem("retention_days", spec.retention_days, reason)]
    return []
