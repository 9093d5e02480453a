"""The Observability component: topic, subscriptions, per-endpoint alarms and dashboards."""

from __future__ import annotations

import json
from collections import Counter

import pulumi
import pytest

from mlops_platform.components.core import ArgsError
from mlops_platform.components.observability import (
    EndpointWatch,
    Observability,
    ObservabilityArgs,
    ServiceWatch,
)
from mlops_platform.components.observability.dashboards import VariantBounds
from mlops_platform.testing import Registry
from tests.conftest import RunProgram, policy, statement

EMAIL = {"protocol": "email", "endpoint": "oncall@example.com"}
QUEUE = {"protocol": "sqs", "endpoint": "arn:aws:sqs:us-east-1:123456789012:alerts"}


def watch() -> EndpointWatch:
    return EndpointWatch(
        key="fraud",
        endpoint_name=pulumi.Output.from_input("fraud-abc"),
        variants=(VariantBounds(name="blue", min_instances=2, max_instances=4),),
        rollback_alarm_names=pulumi.Output.from_input(["fraud-abc-blue-5xx"]),
        drift_features=("amount",),
    )


def observe(run: RunProgram) -> Registry:
    service = ServiceWatch(
        key="scorer", cluster_name="gpu", namespace="scorer", service_name="scorer",
        rollout_name="scorer",
    )  # fmt: skip
    args = ObservabilityArgs(subscriptions=[EMAIL, QUEUE], endpoints=[watch()], services=[service])
    return run(lambda: Observability("obs", args))


def test_one_endpoint_and_one_service_make_exactly_these_children(run: RunProgram) -> None:
    registry = observe(run)
    children = registry.children_of(registry.one("mlops:observability:Observability"))
    assert len(children) == len(registry) - 2
    assert Counter(c.name for c in children) == Counter(
        [
            "obs-alerts-key", "obs-alerts", "obs-alerts-policy", "obs-alerts-email-0",
            "obs-alerts-sqs-1", "obs-fraud-blue-5xx", "obs-fraud-blue-latency",
            "obs-fraud-unhealthy", "obs-fraud-dashboard", "obs-scorer-dashboard",
        ]
    )  # fmt: skip


def test_the_topic_is_encrypted_and_only_this_accounts_alarms_and_rules_publish(
    run: RunProgram,
) -> None:
    registry = observe(run)
    topic = registry.one("aws:sns/topic:Topic")
    assert topic.inputs["kmsMasterKeyId"] == registry.one("aws:kms/key:Key").state["arn"]
    document = policy(registry.one("aws:sns/topicPolicy:TopicPolicy"))
    publish = statement(document, "AccountAlarmsAndRulesPublish")
    assert publish["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    assert statement(document, "DenyInsecureTransport")["Effect"] == "Deny"
    raw = registry.one("aws:sns/topicSubscription:TopicSubscription", "obs-alerts-sqs-1")
    assert raw.inputs["rawMessageDelivery"] is True


def test_the_composite_pages_once_for_the_watch_and_rollback_alarms(run: RunProgram) -> None:
    registry = observe(run)
    alarms = registry.all("aws:cloudwatch/metricAlarm:MetricAlarm")
    assert {a.inputs["name"] for a in alarms} == {
        "fraud-abc-blue-watch-5xx", "fraud-abc-blue-watch-latency-p99",
    }  # fmt: skip
    assert all(a.inputs.get("alarmActions", []) == [] for a in alarms)
    composite = registry.one("aws:cloudwatch/compositeAlarm:CompositeAlarm").inputs
    assert composite["alarmRule"] == (
        'ALARM("fraud-abc-blue-watch-5xx") OR ALARM("fraud-abc-blue-watch-latency-p99") OR '
        'ALARM("fraud-abc-blue-5xx")'
    )
    assert composite["alarmActions"] == [registry.one("aws:sns/topic:Topic").state["arn"]]


def test_dashboards_are_parsed_json_named_after_their_targets(run: RunProgram) -> None:
    registry = observe(run)
    endpoint = registry.one("aws:cloudwatch/dashboard:Dashboard", "obs-fraud-dashboard").inputs
    assert endpoint["dashboardName"] == "fraud-abc-overview"
    titles = [w["properties"]["title"] for w in json.loads(endpoint["dashboardBody"])["widgets"]]
    assert "Drift KS_D per feature" in titles
    assert "Rollback alarms" in titles
    service = registry.one("aws:cloudwatch/dashboard:Dashboard", "obs-scorer-dashboard").inputs
    assert service["dashboardName"] == "gpu-scorer"
    assert json.loads(service["dashboardBody"])["widgets"]


def test_bad_subscriptions_and_repeated_keys_are_named() -> None:
    with pytest.raises(ArgsError) as raised:
        ObservabilityArgs(
            subscriptions=[{"protocol": "https", "endpoint": "http://hooks.example.com"}],
            endpoints=[watch(), watch()],
        )
    assert [str(p) for p in raised.value.problems] == [
        "subscriptions = [{'protocol': 'https', 'endpoint': 'http://hooks.example.com'}]: "
        "subscriptions[0].endpoint = 'http://hooks.example.com': must be an https:// URL (plain "
        "http would carry alerts unencrypted)",
        "endpoints[1].key = 'fraud': keys must be unique",
    ]
