"""The drift handler end to end on moto: capture in S3 -> metrics in CloudWatch -> report in S3."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import numpy as np
import pytest
from moto import mock_aws

from mlops_platform.lambdas.drift import capture, handler, ks, profile, publish, settings, verdict

WHEN = "2026-12-01T22:00:00Z"
EVENT = {"source": "aws.events", "detail-type": "Scheduled Event", "time": WHEN}
ENV = {
    "DRIFT_ENDPOINT_NAME": "fraud",
    "DRIFT_CAPTURE_BUCKET": "capture",
    "DRIFT_CAPTURE_PREFIX": "datacapture",
    "DRIFT_PROFILE_URI": "s3://models/fraud/profile.json",
    "DRIFT_REPORT_BUCKET": "reports",
    "DRIFT_FEATURES": json.dumps(
        [
            {"name": "amount", "column": 0},
            {"name": "country", "column": 1},
            {"name": "score", "source": "output"},
        ]
    ),
    "DRIFT_WINDOW_MINUTES": "60",
}


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1", **ENV}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    with mock_aws():
        handler.s3_client.cache_clear()
        handler.cloudwatch_client.cache_clear()
        s3 = boto3.client("s3")
        for bucket in ("capture", "models", "reports"):
            s3.create_bucket(Bucket=bucket)
        rng = np.random.default_rng(1)
        reference = profile.build_profile(
            {"amount": rng.normal(100, 20, 5_000), "score": rng.uniform(size=5_000),
             "country": list(rng.choice(["DE", "FR", "IT"], size=5_000, p=[0.6, 0.3, 0.1]))},
            categorical=frozenset({"country"}),
        )  # fmt: skip
        s3.put_object(Bucket="models", Key="fraud/profile.json", Body=profile.to_json(reference))
        yield s3
    handler.s3_client.cache_clear()
    handler.cloudwatch_client.cache_clear()


def _line(amount: float, country: str, score: float, when: datetime) -> str:
    return json.dumps({
        "captureData": {
            "endpointInput": {"observedContentType": "text/csv", "mode": "INPUT",
                              "data": f"{amount},{country}", "encoding": "CSV"},
            "endpointOutput": {"observedContentType": "text/csv", "mode": "OUTPUT",
                               "data": str(score), "encoding": "CSV"},
        },
        "eventMetadata": {"eventId": "x", "inferenceTime": when.isoformat()},
        "eventVersion": "0",
    })  # fmt: skip


def _write_capture(s3: Any, rows: int, shift: float, extra: tuple[str, ...] = ()) -> None:
    rng = np.random.default_rng(2)
    start = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
    countries = rng.choice(["DE", "FR", "IT"], size=rows, p=[0.6, 0.3, 0.1])
    lines = [
        _line(rng.normal(100 + shift, 20), str(countries[i]), rng.uniform(),
              start + timedelta(seconds=3_599 * i / rows))
        for i in range(rows)
    ]  # fmt: skip
    half = rows // 2
    for i, part in enumerate((lines[:half], [*lines[half:], *extra])):
        key = f"datacapture/fraud/AllTraffic/2026/12/01/21/part-{i}.jsonl"
        s3.put_object(Bucket="capture", Key=key, Body="\n".join(part).encode())


def _metric(name: str, **dims: str) -> list[float]:
    cloudwatch = boto3.client("cloudwatch")
    dimensions = [{"Name": "Endpoint", "Value": "fraud"}]
    dimensions += [{"Name": k, "Value": v} for k, v in dims.items()]
    answer = cloudwatch.get_metric_data(
        MetricDataQueries=[{"Id": "m", "MetricStat": {"Metric": {
            "Namespace": "mlops/Drift", "MetricName": name, "Dimensions": dimensions},
            "Period": 300, "Stat": "Maximum"}}],
        StartTime=datetime(2026, 12, 1, 21, 0, tzinfo=UTC),
        EndTime=datetime(2026, 12, 1, 23, 0, tzinfo=UTC),
    )  # fmt: skip
    return list(answer["MetricDataResults"][0]["Values"])


def test_a_shifted_feature_is_drift_in_metrics_and_report(aws: Any) -> None:
    _write_capture(aws, rows=600, shift=15.0, extra=("garbage", '{"captureData": 1}'))
    summary = handler.handler(EVENT, None)
    key = "drift-reports/fraud/2026/12/01/220000.json"
    assert summary == {"endpoint": "fraud", "status": "drift", "drifted": ["amount"],
                       "records": 600, "malformed": 2, "report": f"s3://reports/{key}"}  # fmt: skip
    assert _metric("DriftDetected") == [1.0]
    assert _metric("MalformedRecords") == [2.0]
    assert _metric("FeatureDrift", Feature="amount", Statistic="KS_D")[0] > 0.2
    assert _metric("FeatureDrift", Feature="country", Statistic="PSI")[0] < 0.1
    assert _metric("FeatureDrift", Feature="country", Statistic="KS_D") == []
    listed = boto3.client("cloudwatch").list_metrics(Namespace="mlops/Drift")["Metrics"]
    statistics = {(d["Value"]) for m in listed for d in m["Dimensions"] if d["Name"] == "Statistic"}
    assert statistics == {"KS_D", "KS_p", "PSI"}
    report = json.loads(aws.get_object(Bucket="reports", Key=key)["Body"].read())
    assert report["status"] == "drift"
    assert report["window"] == {
        "start": "2026-12-01T21:00:00+00:00",
        "end": "2026-12-01T22:00:00+00:00",
    }
    assert report["capture"]["malformed"] == 2
    by_name = {f["feature"]: f for f in report["features"]}
    assert by_name["amount"]["status"] == "drift"
    assert by_name["amount"]["ks_method"] == "exact"
    assert by_name["score"]["status"] == "no_drift"
    assert by_name["country"]["psi_band"] == "stable"
    assert by_name["country"]["rows_current"] == 600


def test_no_shift_is_no_drift(aws: Any) -> None:
    _write_capture(aws, rows=600, shift=0.0)
    assert handler.handler(EVENT, None)["status"] == "no_drift"
    assert _metric("DriftDetected") == [0.0]


def test_a_thin_window_is_insufficient_data_and_publishes_no_verdict(aws: Any) -> None:
    _write_capture(aws, rows=40, shift=50.0)
    summary = handler.handler(EVENT, None)
    assert summary["status"] == "insufficient_data"
    assert summary["drifted"] == []
    assert _metric("DriftDetected") == []
    assert _metric("CaptureRecords") == [40.0]


def test_a_feature_missing_from_the_profile_is_a_config_error(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRIFT_FEATURES", json.dumps([{"name": "age", "column": 0}]))
    with pytest.raises(
        settings.InvalidInputError,
        match="DRIFT_FEATURES name = 'age': not in the reference profile",
    ):
        handler.handler(EVENT, None)


BAD_ENV = [
    ({"DRIFT_ENDPOINT_NAME": ""}, "DRIFT_ENDPOINT_NAME = '': required, must not be empty"),
    ({"DRIFT_PROFILE_URI": "models/profile.json"},
     "DRIFT_PROFILE_URI = 'models/profile.json': must be s3://bucket/key"),
    ({"DRIFT_FEATURES": "{}"},
     "DRIFT_FEATURES = '{}': must be a non-empty JSON list of feature objects"),
    ({"DRIFT_FEATURES": '[{"column": 1}]'},
     "DRIFT_FEATURES[0] = {'column': 1}: must be an object with a non-empty `name`"),
    ({"DRIFT_FEATURES": '[{"name": "a", "source": "body"}]'},
     "DRIFT_FEATURES[0].source = 'body': must be 'input' or 'output'"),
    ({"DRIFT_FEATURES": '[{"name": "a", "column": "1"}]'},
     "DRIFT_FEATURES[0].column = '1': must be an integer column index"),
    ({"DRIFT_FEATURES": '[{"name": "a", "key": 3}]'},
     "DRIFT_FEATURES[0].key = 3: must be a string JSON key"),
    ({"DRIFT_WINDOW_MINUTES": "0"}, "DRIFT_WINDOW_MINUTES = '0': must be a number > 0"),
    ({"DRIFT_KS_D_THRESHOLD": "1.5"}, "DRIFT_KS_D_THRESHOLD = '1.5': must be between 0 and 1"),
    ({"DRIFT_KS_ALPHA": "abc"}, "DRIFT_KS_ALPHA = 'abc': must be between 0 and 1"),
    ({"DRIFT_PSI_BAND": "nan"}, "DRIFT_PSI_BAND = 'nan': must be a number > 0"),
    ({"DRIFT_MIN_ROWS": "2.5"}, "DRIFT_MIN_ROWS = '2.5': must be a whole number >= 1"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), BAD_ENV)
def test_bad_environment_is_refused_naming_the_variable(
    change: dict[str, str], message: str
) -> None:
    with pytest.raises(settings.InvalidInputError) as caught:
        settings.parse_env({**ENV, **change})
    assert caught.value.problems == (message,)


def test_every_environment_problem_at_once_and_defaults() -> None:
    with pytest.raises(settings.InvalidInputError) as caught:
        settings.parse_env({"DRIFT_MIN_ROWS": "0"})
    assert len(caught.value.problems) == 6
    config = settings.parse_env(ENV)
    assert (config.profile_bucket, config.profile_key) == ("models", "fraud/profile.json")
    assert config.report_prefix == "drift-reports"
    assert config.window == timedelta(minutes=60)
    assert config.limits.min_rows == 100
    assert [f.name for f in config.features] == ["amount", "country", "score"]


@pytest.mark.parametrize(("event", "message"), [
    ([], "event = []: must be a JSON object"),
    ({}, "time = None: must be an ISO 8601 time (the schedule's)"),
    ({"time": "noon"}, "time = 'noon': must be an ISO 8601 time (the schedule's)"),
])  # fmt: skip
def test_bad_events_are_refused(event: object, message: str) -> None:
    with pytest.raises(settings.InvalidInputError) as caught:
        settings.parse_event(event)
    assert caught.value.problems == (message,)


def test_p_values_too_small_for_cloudwatch_publish_as_zero() -> None:
    result = ks.KsResult(0.9, 1e-200, "asymp")
    judged = verdict.FeatureVerdict("x", "numeric", "drift", 10, 10, 2, psi=0.5,
                                    psi_threshold=0.1, psi_expected=0.01, ks=result)  # fmt: skip
    when = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
    data = publish.metric_data("ep", [judged], "drift", capture.CaptureWindow(), when)
    values = {d["MetricName"] + "/" + d["Dimensions"][-1]["Value"]: d["Value"] for d in data}
    assert values == {"CaptureRecords/ep": 0.0, "MalformedRecords/ep": 0.0,
                      "FeatureDrift/PSI": 0.5, "FeatureDrift/KS_D": 0.9, "FeatureDrift/KS_p": 0.0,
                      "DriftDetected/ep": 1.0}  # fmt: skip
