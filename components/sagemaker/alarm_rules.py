"""The alarms a rollout rolls back on, decided as plain values: thresholds, the set, the count."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mlops_platform.components.core.checks import is_positive, is_whole
from mlops_platform.components.core.errors import Problem

NAMESPACE = "AWS/SageMaker"
"""Where SageMaker publishes the invocation metrics of every endpoint variant."""
PERIOD_SECONDS = 60
"""SageMaker publishes invocation metrics every minute."""
MAX_EVALUATION_MINUTES = 1440
"""CloudWatch evaluates at most a day of periods."""
MAX_ROLLBACK_ALARMS = 10
"""AWS accepts 1-10 alarms in an auto-rollback configuration."""
_PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d{1,2})?|100)$")


@dataclass(frozen=True, kw_only=True)
class AlarmThresholds:
    """When a variant counts as misbehaving: too many server errors, or too slow."""

    server_errors_per_minute: int = 5
    """A minute with more Invocation5XXErrors than this is breaching."""
    latency_percentile: str = "p99"
    """The ModelLatency percentile watched, as CloudWatch writes it (`p99`, `p99.9`)."""
    latency_ms: float = 1000.0
    """A minute whose latency at `latency_percentile` is above this many ms is breaching."""
    evaluation_minutes: int = 3
    """How many recent minutes each alarm looks at."""
    breaching_minutes: int = 2
    """How many of them must breach to fire: one bad minute alone does not roll back."""


ALARM_PURPOSES = ("5xx", "latency")
"""The endpoint's own rollback alarms, one per purpose: `<endpoint>-5xx`, `<endpoint>-latency`.

One alarm per purpose over every production variant (metric math), never one per variant: the
endpoint's `autoRollbackConfiguration` names these alarms and forces the endpoint's replacement
when it changes, so adding, removing or renaming a variant must leave the names as they are."""


@dataclass(frozen=True)
class AlarmDefinition:
    """One endpoint-level alarm over every production variant, as plain values."""

    suffix: str
    """Appended to the endpoint's name to name the alarm: the purpose (`5xx`, `latency`)."""
    variants: tuple[str, ...]
    """The production variants watched; the alarm fires on the worst of them (MAX)."""
    metric_name: str
    stat: str
    """The statistic of each variant's metric: `Sum`, or a percentile such as `p99`."""
    threshold: float
    """In the metric's unit: a count, or microseconds for ModelLatency."""
    evaluation_periods: int
    datapoints_to_alarm: int
    description: str

    def queries(self) -> list[dict[str, object]]:
        """The alarm's metric queries: one metric per variant and `MAX` over them.

        Metric ids are positional (`v0`, `v1`), since variant names may hold hyphens; changing
        the variants updates the alarm in place, its name stays.
        """
        metrics: list[dict[str, object]] = [
            {
                "id": f"v{index}",
                "label": variant,
                "return_data": False,
                "metric": {
                    "namespace": NAMESPACE,
                    "metric_name": self.metric_name,
                    "dimensions": {"VariantName": variant},
                    "period": PERIOD_SECONDS,
                    "stat": self.stat,
                },
            }
            for index, variant in enumerate(self.variants)
        ]
        ids = ", ".join(str(m["id"]) for m in metrics)
        worst = {
            "id": "worst",
            "label": f"worst production variant: {self.metric_name} ({self.stat})",
            "expression": f"MAX([{ids}])",
            "return_data": True,
        }
        return [*metrics, worst]


def alarm_set(variants: Sequence[str], thresholds: AlarmThresholds) -> list[AlarmDefinition]:
    """Two alarms for the whole endpoint: server errors, and latency at the percentile.

    Each watches every production variant in `variants` and fires when the worst variant
    breaches, as a per-variant alarm would; there are two whatever the number of variants
    (none without variants).
    """
    if not variants:
        return []
    periods = thresholds.evaluation_minutes
    breaching = thresholds.breaching_minutes
    window = f"{breaching} of the last {periods} minutes"
    watched = tuple(variants)
    errors, server = ALARM_PURPOSES
    return [
        AlarmDefinition(
            suffix=errors,
            variants=watched,
            metric_name="Invocation5XXErrors",
            stat="Sum",
            threshold=float(thresholds.server_errors_per_minute),
            evaluation_periods=periods,
            datapoints_to_alarm=breaching,
            description=f"A production variant had more than "
            f"{thresholds.server_errors_per_minute} server errors a minute in {window}",
        ),
        AlarmDefinition(
            suffix=server,
            variants=watched,
            metric_name="ModelLatency",
            stat=thresholds.latency_percentile,
            # ModelLatency is published in microseconds.
            threshold=thresholds.latency_ms * 1000,
            evaluation_periods=periods,
            datapoints_to_alarm=breaching,
            description=f"A production variant's {thresholds.latency_percentile} model latency "
            f"was above {thresholds.latency_ms:g} ms in {window}",
        ),
    ]


def check_thresholds(thresholds: AlarmThresholds) -> list[Problem]:
    """Every problem with the thresholds, against what CloudWatch accepts."""
    problems = []
    errors = thresholds.server_errors_per_minute
    if not is_whole(errors) or errors < 0:
        problems.append(
            Problem("alarms.server_errors_per_minute", errors, "a whole number, 0 or more")
        )
    percentile = thresholds.latency_percentile
    if not isinstance(percentile, str) or not _PERCENTILE.match(percentile):
        problems.append(
            Problem(
                "alarms.latency_percentile",
                percentile,
                "a CloudWatch percentile from p0 to p100, e.g. p90, p99 or p99.9",
            )
        )
    latency = thresholds.latency_ms
    if not is_positive(latency):
        problems.append(Problem("alarms.latency_ms", latency, "a number of milliseconds above 0"))
    periods, breaching = thresholds.evaluation_minutes, thresholds.breaching_minutes
    if not is_whole(periods) or not 1 <= periods <= MAX_EVALUATION_MINUTES:
        problems.append(
            Problem(
                "alarms.evaluation_minutes",
                periods,
                f"1-{MAX_EVALUATION_MINUTES} (CloudWatch evaluates at most a day)",
            )
        )
    elif not is_whole(breaching) or not 1 <= breaching <= periods:
        problems.append(
            Problem(
                "alarms.breaching_minutes", breaching, f"1 to the minutes evaluated ({periods})"
            )
        )
    return problems


def check_alarm_count(generated: int, extra: Sequence[str]) -> list[Problem]:
    """At most 10 rollback alarms in all: the component's own plus the caller's."""
    total = generated + len(extra)
    if total <= MAX_ROLLBACK_ALARMS:
        return []
    field, value = ("extra_rollback_alarms", list(extra)) if extra else ("alarms", total)
    return [
        Problem(
            field,
            value,
            f"{total} rollback alarms ({generated} of the endpoint's own + {len(extra)} "
            f"extra); AWS allows at most {MAX_ROLLBACK_ALARMS}",
        )
    ]
