from __future__ import annotations

import json
import re
from typing import Any

import pytest
from observability_catalogue import CLOUDWATCH

from mlops_platform.components.observability import alarms
from mlops_platform.components.observability.dashboards import EndpointTarget, VariantBounds

TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts"
TARGET = EndpointTarget(
    endpoint_name="fraud",
    variants=(
        VariantBounds(name="blue", min_instances=2, max_instances=6),
        VariantBounds(name="green", min_instances=1, max_instances=3),
    ),
    rollback_alarm_names=("fraud-blue-5xx", "fraud-blue-latency"),
)


def test_each_variant_gets_a_5xx_and_a_latency_alarm_without_actions() -> None:
    specs = json.loads(json.dumps(alarms.endpoint_alarms(TARGET)))
    assert set(specs) == {"blue-5xx", "blue-latency", "green-5xx", "green-latency"}
    for spec in specs.values():
        assert spec["alarm_actions"] == []
        assert spec["ok_actions"] == []
        key = (spec["namespace"], spec["metric_name"])
        assert frozenset(spec["dimensions"]) in CLOUDWATCH[key]
    assert specs["green-5xx"]["dimensions"] == {"EndpointName": "fraud", "VariantName": "green"}


def test_names_never_collide_with_the_endpoints_rollback_alarms() -> None:
    names = alarms.alarm_names(TARGET)
    assert names["blue-5xx"] == "fraud-blue-watch-5xx"
    assert names["blue-latency"] == "fraud-blue-watch-latency-p99"
    assert not set(names.values()) & set(TARGET.rollback_alarm_names)


def test_thresholds_convert_milliseconds_to_the_metrics_microseconds() -> None:
    thresholds = alarms.EndpointAlarmThresholds(errors_5xx=3, latency_p99_ms=250)
    specs = alarms.endpoint_alarms(TARGET, thresholds)
    assert specs["blue-latency"]["extended_statistic"] == "p99"
    assert specs["blue-latency"]["threshold"] == 250_000
    assert (specs["blue-5xx"]["statistic"], specs["blue-5xx"]["threshold"]) == ("Sum", 3)
    assert specs["blue-latency"]["alarm_description"] == (
        "fraud/blue: ModelLatency p99 at least 250 ms in 3 of 5 minutes"
    )


def referenced(rule: str) -> list[str]:
    return re.findall(r'ALARM\("([^"]+)"\)', rule)


def test_composite_pages_once_and_references_only_existing_alarms() -> None:
    composite = alarms.endpoint_composite(TARGET, TOPIC)
    existing = {s["name"] for s in alarms.endpoint_alarms(TARGET).values()}
    existing |= set(TARGET.rollback_alarm_names)
    names = referenced(composite["alarm_rule"])
    assert set(names) == existing
    assert len(names) == len(set(names))
    assert composite["alarm_rule"] == " OR ".join(f'ALARM("{n}")' for n in names)
    assert composite["alarm_actions"] == [TOPIC]
    assert composite["ok_actions"] == [TOPIC]
    assert composite["alarm_name"] == "fraud-unhealthy"


def test_composite_can_leave_out_the_rollback_alarms() -> None:
    composite = alarms.endpoint_composite(TARGET, TOPIC, include_rollback_alarms=False)
    assert "fraud-blue-5xx" not in referenced(composite["alarm_rule"])
    assert len(referenced(composite["alarm_rule"])) == 4


GOOD = [
    {"protocol": "email", "endpoint": "oncall@example.com"},
    {"protocol": "https", "endpoint": "https://events.pagerduty.com/integration/abc/enqueue"},
    {"protocol": "sqs", "endpoint": "arn:aws:sqs:eu-west-1:123456789012:alerts"},
]


def test_subscriptions_from_config() -> None:
    specs = alarms.subscription_specs(TOPIC, GOOD)
    assert list(specs) == ["email-0", "https-1", "sqs-2"]
    assert specs["email-0"] == {
        "topic": TOPIC,
        "protocol": "email",
        "endpoint": "oncall@example.com",
    }
    assert specs["sqs-2"]["raw_message_delivery"] is True
    assert specs["https-1"]["endpoint_auto_confirms"] is True
    assert "raw_message_delivery" not in specs["https-1"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"protocol": "sms", "endpoint": "+100"},
            "subscriptions[0].protocol = 'sms': must be email, https or sqs",
        ),
        (
            {"protocol": "email", "endpoint": "oncall"},
            "subscriptions[0].endpoint = 'oncall': must be an email address",
        ),
        (
            {"protocol": "https", "endpoint": "http://hooks.example.com/x"},
            "subscriptions[0].endpoint = 'http://hooks.example.com/x': must be an https:// URL "
            "(plain http would carry alerts unencrypted)",
        ),
        (
            {"protocol": "sqs", "endpoint": "https://sqs.eu-west-1.amazonaws.com/1/q"},
            "subscriptions[0].endpoint = 'https://sqs.eu-west-1.amazonaws.com/1/q': "
            "must be an SQS queue ARN",
        ),
        ({"protocol": "email"}, "subscriptions[0].endpoint = None: must be an email address"),
        (
            {"protocol": "email", "endpoint": "a@b.io", "raw": True},
            "subscriptions[0] = ['raw']: only protocol and endpoint are allowed",
        ),
    ],
)
def test_bad_subscriptions(entry: dict[str, Any], message: str) -> None:
    assert alarms.check_subscriptions([entry]) == [message]
    with pytest.raises(ValueError, match=re.escape(message)):
        alarms.subscription_specs(TOPIC, [entry])


def test_a_repeated_subscription_is_reported() -> None:
    assert alarms.check_subscriptions([GOOD[0], GOOD[0]]) == [
        "subscriptions[1].endpoint = 'oncall@example.com': already subscribed"
    ]


def test_composite_over_the_rollback_alarms_alone() -> None:
    composite = alarms.endpoint_composite(TARGET, TOPIC, include_own_alarms=False)
    assert composite["alarm_rule"] == 'ALARM("fraud-blue-5xx") OR ALARM("fraud-blue-latency")'


def test_composite_without_children_is_refused() -> None:
    bare = EndpointTarget(endpoint_name="e", variants=TARGET.variants)
    with pytest.raises(ValueError, match=r"^e: a composite alarm needs at least one child$"):
        alarms.endpoint_composite(bare, TOPIC, include_own_alarms=False)
