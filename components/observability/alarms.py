"""CloudWatch alarms per endpoint, composites that page once per incident, and subscriptions.

The metric alarms here have no actions: each endpoint's composite alarm is the one that pages,
so a 5XX burst that also slows the model sends one notification, not two. Alarm names are
explicit because the composite's rule names its children.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .dashboards import SAGEMAKER, EndpointTarget

PROTOCOLS = ("email", "https", "sqs")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HTTPS = re.compile(r"^https://[^\s/]+(/\S*)?$")
_QUEUE = re.compile(r"^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]{1,80}(\.fifo)?$")


@dataclass(frozen=True, kw_only=True)
class EndpointAlarmThresholds:
    """When an endpoint's variant is unhealthy."""

    errors_5xx: int = 5
    """5XX responses per minute; three bad minutes out of five raise the alarm."""
    latency_p99_ms: float = 1000.0
    """ModelLatency p99 in milliseconds; three bad minutes out of five raise the alarm."""


def alarm_names(target: EndpointTarget) -> dict[str, str]:
    """The names of the endpoint's child alarms, by key (`<variant>-5xx`, `<variant>-latency`).

    `<endpoint>-<variant>-watch-...`: distinct from the rollback alarms `ModelEndpoint` names
    `<endpoint>-<variant>-5xx` and `<endpoint>-<variant>-latency`.
    """
    names: dict[str, str] = {}
    for variant in target.variants:
        prefix = f"{target.endpoint_name}-{variant.name}-watch"
        names[f"{variant.name}-5xx"] = f"{prefix}-5xx"
        names[f"{variant.name}-latency"] = f"{prefix}-latency-p99"
    return names


def _base(metric: str, dimensions: Mapping[str, str]) -> dict[str, Any]:
    return {
        "namespace": SAGEMAKER,
        "metric_name": metric,
        "dimensions": dict(dimensions),
        "period": 60,
        "evaluation_periods": 5,
        "datapoints_to_alarm": 3,
        "comparison_operator": "GreaterThanOrEqualToThreshold",
        "treat_missing_data": "notBreaching",
        "actions_enabled": True,
        "alarm_actions": [],
        "ok_actions": [],
    }


def endpoint_alarms(
    target: EndpointTarget, thresholds: EndpointAlarmThresholds | None = None
) -> dict[str, dict[str, Any]]:
    """`aws.cloudwatch.MetricAlarm` inputs per key of `alarm_names`, all without actions."""
    limits = thresholds or EndpointAlarmThresholds()
    names = alarm_names(target)
    alarms: dict[str, dict[str, Any]] = {}
    for variant in target.variants:
        dimensions = {"EndpointName": target.endpoint_name, "VariantName": variant.name}
        errors = f"{variant.name}-5xx"
        alarms[errors] = {
            "name": names[errors],
            "alarm_description": (
                f"{target.endpoint_name}/{variant.name}: at least {limits.errors_5xx} 5XX "
                "responses a minute in 3 of 5 minutes"
            ),
            **_base("Invocation5XXErrors", dimensions),
            "statistic": "Sum",
            "threshold": limits.errors_5xx,
        }
        latency = f"{variant.name}-latency"
        alarms[latency] = {
            "name": names[latency],
            "alarm_description": (
                f"{target.endpoint_name}/{variant.name}: ModelLatency p99 at least "
                f"{limits.latency_p99_ms:g} ms in 3 of 5 minutes"
            ),
            **_base("ModelLatency", dimensions),
            "extended_statistic": "p99",
            "threshold": limits.latency_p99_ms * 1000,  # ModelLatency is in microseconds
        }
    return alarms


def alarm_rule(names: Sequence[str]) -> str:
    """A composite rule in ALARM when any of `names` is: `ALARM("a") OR ALARM("b")`."""
    return " OR ".join(f'ALARM("{name}")' for name in names)


def endpoint_composite(
    target: EndpointTarget,
    topic_arn: str,
    *,
    include_own_alarms: bool = True,
    include_rollback_alarms: bool = True,
) -> dict[str, Any]:
    """`aws.cloudwatch.CompositeAlarm` inputs: one page when the endpoint is unhealthy.

    Its children are the alarms of `endpoint_alarms` and the endpoint's rollback alarms; every
    child must carry no actions, or the incident pages twice. An endpoint whose rollback alarms
    already watch 5XX and latency needs only those (`include_own_alarms=False`).

    Raises:
        ValueError: no child alarm is left to watch.
    """
    children = list(alarm_names(target).values()) if include_own_alarms else []
    if include_rollback_alarms:
        children += [n for n in target.rollback_alarm_names if n not in children]
    if not children:
        raise ValueError(f"{target.endpoint_name}: a composite alarm needs at least one child")
    return {
        "alarm_name": f"{target.endpoint_name}-unhealthy",
        "alarm_description": f"{target.endpoint_name} returns errors or answers slowly",
        "alarm_rule": alarm_rule(children),
        "actions_enabled": True,
        "alarm_actions": [topic_arn],
        "ok_actions": [topic_arn],
    }


def check_subscriptions(subscriptions: Sequence[Mapping[str, object]]) -> list[str]:
    """Every problem with the alerting topic's subscriptions from config, in order."""
    problems: list[str] = []
    seen: set[tuple[object, object]] = set()
    for index, entry in enumerate(subscriptions):
        field = f"subscriptions[{index}]"
        protocol, endpoint = entry.get("protocol"), entry.get("endpoint")
        unknown = sorted(set(entry) - {"protocol", "endpoint"})
        if unknown:
            problems.append(f"{field} = {unknown!r}: only protocol and endpoint are allowed")
        if protocol not in PROTOCOLS:
            problems.append(f"{field}.protocol = {protocol!r}: must be email, https or sqs")
            continue
        if not isinstance(endpoint, str) or not _ENDPOINT_PATTERNS[str(protocol)].match(endpoint):
            problems.append(f"{field}.endpoint = {endpoint!r}: {_ENDPOINT_RULES[str(protocol)]}")
        elif (protocol, endpoint) in seen:
            problems.append(f"{field}.endpoint = {endpoint!r}: already subscribed")
        seen.add((protocol, endpoint))
    return problems


_ENDPOINT_PATTERNS = {"email": _EMAIL, "https": _HTTPS, "sqs": _QUEUE}
_ENDPOINT_RULES = {
    "email": "must be an email address",
    "https": "must be an https:// URL (plain http would carry alerts unencrypted)",
    "sqs": "must be an SQS queue ARN",
}


def subscription_specs(
    topic_arn: str, subscriptions: Sequence[Mapping[str, object]]
) -> dict[str, dict[str, Any]]:
    """`aws.sns.TopicSubscription` inputs by a stable key (`email-0`, `sqs-1`, ...).

    SQS receives the raw message; HTTPS receivers (PagerDuty-style) get the SNS envelope,
    whose signature they verify, and confirm the subscription themselves.

    Raises:
        ValueError: listing every problem `check_subscriptions` finds.
    """
    problems = check_subscriptions(subscriptions)
    if problems:
        raise ValueError("alerting subscriptions are invalid: " + "; ".join(problems))
    specs: dict[str, dict[str, Any]] = {}
    for index, entry in enumerate(subscriptions):
        protocol = str(entry["protocol"])
        spec: dict[str, Any] = {
            "topic": topic_arn,
            "protocol": protocol,
            "endpoint": entry["endpoint"],
        }
        if protocol == "sqs":
            spec["raw_message_delivery"] = True
        if protocol == "https":
            spec["endpoint_auto_confirms"] = True
        specs[f"{protocol}-{index}"] = spec
    return specs
