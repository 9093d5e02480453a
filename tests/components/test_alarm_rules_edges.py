"""The rollback alarms' queries as CloudWatch reads them, and the thresholds' exact limits."""

from __future__ import annotations

import re

import pytest

from mlops_platform.components.sagemaker.alarm_rules import (
    MAX_EVALUATION_MINUTES,
    AlarmDefinition,
    AlarmThresholds,
    alarm_set,
    check_thresholds,
)

QUERY_FIELDS = {"id", "expression", "label", "metric", "return_data", "period", "account_id"}
"""pulumi-aws `MetricAlarmMetricQuery` arguments (provider documentation), written here."""
METRIC_FIELDS = {"metric_name", "namespace", "period", "stat", "unit", "dimensions"}
"""pulumi-aws `MetricAlarmMetricQueryMetric` arguments."""
QUERY_ID = re.compile(r"^[a-z][a-zA-Z0-9_]*$")
"""CloudWatch: a query id starts with a lowercase letter (MetricDataQuery.Id)."""

VARIANTS = ("blue", "green-2")


@pytest.mark.parametrize("definition", alarm_set(VARIANTS, AlarmThresholds()))
def test_each_query_is_one_the_provider_and_cloudwatch_accept(definition: AlarmDefinition) -> None:
    queries = definition.queries()
    for query in queries:
        assert set(query) <= QUERY_FIELDS, sorted(set(query) - QUERY_FIELDS)
        assert QUERY_ID.match(str(query["id"])), query["id"]
        assert query["label"]
        if "metric" in query:
            assert set(query["metric"]) <= METRIC_FIELDS, sorted(query["metric"])
    assert len({q["id"] for q in queries}) == len(queries)


@pytest.mark.parametrize("definition", alarm_set(VARIANTS, AlarmThresholds()))
def test_the_alarm_reads_the_worst_of_each_variant_s_sagemaker_metric(
    definition: AlarmDefinition,
) -> None:
    queries = definition.queries()
    metrics = [q for q in queries if "metric" in q]
    assert [q["metric"]["dimensions"] for q in metrics] == [
        {"VariantName": "blue"},
        {"VariantName": "green-2"},
    ], "SageMaker publishes per variant under the VariantName dimension"
    for query in metrics:
        metric = query["metric"]
        assert metric["namespace"] == "AWS/SageMaker"
        assert metric["metric_name"] == definition.metric_name
        assert metric["stat"] == definition.stat
        assert metric["period"] == 60, "SageMaker publishes every minute"
        assert query["return_data"] is False
    (returned,) = [q for q in queries if q.get("return_data")]
    assert "metric" not in returned
    referenced = re.fullmatch(r"MAX\(\[(.*)\]\)", str(returned["expression"]))
    assert referenced is not None
    assert referenced.group(1).split(", ") == [q["id"] for q in metrics]
    assert definition.metric_name in str(returned["label"])


@pytest.mark.parametrize(
    "thresholds",
    [
        AlarmThresholds(server_errors_per_minute=0),
        AlarmThresholds(evaluation_minutes=1, breaching_minutes=1),
        AlarmThresholds(evaluation_minutes=MAX_EVALUATION_MINUTES, breaching_minutes=1),
        AlarmThresholds(
            evaluation_minutes=MAX_EVALUATION_MINUTES, breaching_minutes=MAX_EVALUATION_MINUTES
        ),
        AlarmThresholds(evaluation_minutes=5, breaching_minutes=5),
    ],
    ids=["no 5xx tolerated", "one minute", "a day", "a whole day breaching", "all breaching"],
)
def test_thresholds_at_cloudwatch_s_limits_are_accepted(thresholds: AlarmThresholds) -> None:
    assert check_thresholds(thresholds) == []
