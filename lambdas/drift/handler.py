"""Scheduled drift check of one SageMaker endpoint: capture window vs reference profile.

Environment (all read and checked at each invocation; every problem is reported at once):

| variable | meaning | default |
| --- | --- | --- |
| `DRIFT_ENDPOINT_NAME` | endpoint whose capture is read | required |
| `DRIFT_CAPTURE_BUCKET` | bucket the endpoint's data capture writes to | required |
| `DRIFT_CAPTURE_PREFIX` | key prefix before `<endpoint>/<variant>/yyyy/mm/dd/hh/` | `""` |
| `DRIFT_PROFILE_URI` | `s3://bucket/key` of the reference profile (JSON) | required |
| `DRIFT_REPORT_BUCKET` | bucket the JSON report is written to | required |
| `DRIFT_REPORT_PREFIX` | key prefix of reports | `drift-reports` |
| `DRIFT_FEATURES` | JSON list of `{"name", "source", "column" or "key"}` (below) | required |
| `DRIFT_WINDOW_MINUTES` | window length, ending at the event's `time` | `60` |
| `DRIFT_KS_D_THRESHOLD` | KS D that counts as drift (with p below alpha) | `0.1` |
| `DRIFT_KS_ALPHA` | KS significance level | `0.01` |
| `DRIFT_PSI_BAND` | PSI band for large windows | `0.1` |
| `DRIFT_PSI_ALPHA` | false-alarm rate of the size-aware PSI threshold | `0.01` |
| `DRIFT_MIN_ROWS` | fewer rows and a feature is `insufficient_data` | `100` |

A feature is `{"name": "age", "column": 0}` (CSV column or JSON list index of the request),
`{"name": "country", "key": "country"}` (JSON object key), or `{"name": "score", "source":
"output"}` for the prediction; its kind (numeric or categorical) comes from the profile.
"""

from __future__ import annotations

import functools
import json
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import boto3

from . import capture, profile, stats

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch import CloudWatchClient
    from mypy_boto3_s3 import S3Client

NAMESPACE = "mlops/Drift"
"""CloudWatch namespace of every drift metric."""
SMALLEST_METRIC = 1e-100
"""CloudWatch rejects magnitudes below about 2^-360 (8.5e-109); smaller values publish as 0."""


@functools.cache
def s3_client() -> S3Client:
    """The container's S3 client, created on first use."""
    return boto3.client("s3")


@functools.cache
def cloudwatch_client() -> CloudWatchClient:
    """The container's CloudWatch client, created on first use."""
    return boto3.client("cloudwatch")


class InvalidInputError(ValueError):
    """The event or the environment cannot drive a drift check; lists every problem."""

    def __init__(self, subject: str, problems: list[str]) -> None:
        self.problems = tuple(problems)
        """Each problem as `name = value: what is allowed`."""
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{subject} is invalid ({len(problems)} problems):\n{lines}")


@dataclass(frozen=True)
class DriftConfig:
    """Everything the environment says about one endpoint's drift check."""

    endpoint: str
    """The endpoint whose capture is read."""
    capture_bucket: str
    """Bucket of the data capture."""
    capture_prefix: str
    """Prefix before `<endpoint>/<variant>/...` in the capture bucket."""
    profile_bucket: str
    """Bucket of the reference profile."""
    profile_key: str
    """Key of the reference profile."""
    report_bucket: str
    """Bucket of the reports."""
    report_prefix: str
    """Prefix of the reports."""
    features: tuple[capture.FeatureSpec, ...]
    """Monitored features and where each sits in the capture."""
    window: timedelta
    """Length of the window that ends at the event's time."""
    limits: stats.Thresholds
    """Drift thresholds."""


def _positive(value: float) -> bool:
    return value > 0


def _fraction(value: float) -> bool:
    return 0 < value < 1


def _whole(value: float) -> bool:
    return value >= 1 and value == int(value)


NUMBERS: dict[str, tuple[float, Callable[[float], bool], str]] = {
    "DRIFT_WINDOW_MINUTES": (60.0, _positive, "a number > 0"),
    "DRIFT_KS_D_THRESHOLD": (0.1, _fraction, "between 0 and 1"),
    "DRIFT_KS_ALPHA": (0.01, _fraction, "between 0 and 1"),
    "DRIFT_PSI_BAND": (0.1, _positive, "a number > 0"),
    "DRIFT_PSI_ALPHA": (0.01, _fraction, "between 0 and 1"),
    "DRIFT_MIN_ROWS": (100.0, _whole, "a whole number >= 1"),
}
"""Numeric variables: default, check, and what the check allows."""


def _numbers(env: Mapping[str, str], problems: list[str]) -> dict[str, float]:
    out = {}
    for name, (default, ok, rule) in NUMBERS.items():
        text = env.get(name, "").strip()
        try:
            value = float(text) if text else default
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or not ok(value):
            problems.append(f"{name} = {text!r}: must be {rule}")
        out[name] = value
    return out


def _features(text: str, problems: list[str]) -> tuple[capture.FeatureSpec, ...]:
    name = "DRIFT_FEATURES"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError:
        raw = None
    if not isinstance(raw, list) or not raw:
        problems.append(f"{name} = {text!r}: must be a non-empty JSON list of feature objects")
        return ()
    specs = []
    for i, item in enumerate(raw):
        where = f"{name}[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
            problems.append(f"{where} = {item!r}: must be an object with a non-empty `name`")
            continue
        source, column, key = item.get("source", "input"), item.get("column"), item.get("key")
        if source not in ("input", "output"):
            problems.append(f"{where}.source = {source!r}: must be 'input' or 'output'")
        elif column is not None and (not isinstance(column, int) or isinstance(column, bool)):
            problems.append(f"{where}.column = {column!r}: must be an integer column index")
        elif key is not None and not isinstance(key, str):
            problems.append(f"{where}.key = {key!r}: must be a string JSON key")
        else:
            specs.append(capture.FeatureSpec(item["name"], source, column, key))
    return tuple(specs)


def parse_env(env: Mapping[str, str]) -> DriftConfig:
    """Read the drift check's configuration from environment variables (see the module doc).

    Raises:
        InvalidInputError: naming every missing or bad variable.
    """
    problems: list[str] = []
    required = {}
    for name in ("DRIFT_ENDPOINT_NAME", "DRIFT_CAPTURE_BUCKET", "DRIFT_PROFILE_URI",
                 "DRIFT_REPORT_BUCKET", "DRIFT_FEATURES"):  # fmt: skip
        required[name] = env.get(name, "").strip()
        if not required[name]:
            problems.append(f"{name} = {env.get(name)!r}: required, must not be empty")
    uri = required["DRIFT_PROFILE_URI"]
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    if uri and (not uri.startswith("s3://") or not bucket or not key):
        problems.append(f"DRIFT_PROFILE_URI = {uri!r}: must be s3://bucket/key")
    features = _features(required["DRIFT_FEATURES"], problems) if required["DRIFT_FEATURES"] else ()
    number = _numbers(env, problems)
    limits = stats.Thresholds(
        ks_d=number["DRIFT_KS_D_THRESHOLD"],
        ks_alpha=number["DRIFT_KS_ALPHA"],
        psi_band=number["DRIFT_PSI_BAND"],
        psi_alpha=number["DRIFT_PSI_ALPHA"],
        min_rows=int(number["DRIFT_MIN_ROWS"]),
    )
    if problems:
        raise InvalidInputError("drift configuration", problems)
    return DriftConfig(
        endpoint=required["DRIFT_ENDPOINT_NAME"],
        capture_bucket=required["DRIFT_CAPTURE_BUCKET"],
        capture_prefix=env.get("DRIFT_CAPTURE_PREFIX", "").strip("/"),
        profile_bucket=bucket,
        profile_key=key,
        report_bucket=required["DRIFT_REPORT_BUCKET"],
        report_prefix=env.get("DRIFT_REPORT_PREFIX", "drift-reports").strip("/"),
        features=features,
        window=timedelta(minutes=number["DRIFT_WINDOW_MINUTES"]),
        limits=limits,
    )


def parse_event(event: object) -> datetime:
    """The window's end: the `time` of an EventBridge scheduled event.

    Raises:
        InvalidInputError: when the event is not an object with an ISO 8601 `time`.
    """
    if not isinstance(event, Mapping):
        raise InvalidInputError("drift event", [f"event = {event!r}: must be a JSON object"])
    try:
        return capture.parse_time(event.get("time"))
    except capture.MalformedRecordError:
        problem = f"time = {event.get('time')!r}: must be an ISO 8601 time (the schedule's)"
        raise InvalidInputError("drift event", [problem]) from None


def _kinds(config: DriftConfig, ref: profile.Profile) -> list[capture.FeatureSpec]:
    missing = [s.name for s in config.features if s.name not in ref.features]
    if missing:
        problems = [f"DRIFT_FEATURES name = {m!r}: not in the reference profile" for m in missing]
        raise InvalidInputError("drift configuration", problems)
    return [
        capture.FeatureSpec(s.name, s.source, s.column, s.key, "categorical")
        if isinstance(ref.features[s.name], profile.CategoricalReference)
        else s
        for s in config.features
    ]


def assess(
    ref: profile.Profile, window: capture.CaptureWindow, specs: list[capture.FeatureSpec],
    limits: stats.Thresholds,
) -> list[stats.FeatureVerdict]:  # fmt: skip
    """Each monitored feature's verdict for one window."""
    verdicts = []
    for spec in specs:
        reference = ref.features[spec.name]
        if isinstance(reference, profile.CategoricalReference):
            values = window.categorical[spec.name]
            verdicts.append(stats.assess_categorical(spec.name, reference.counts, values, limits))
        else:
            verdicts.append(stats.assess_numeric(
                spec.name, sorted_sample=reference.sample, edges=reference.edges,
                reference_counts=reference.counts, values=window.numeric[spec.name], limits=limits,
            ))  # fmt: skip
    return verdicts


def overall(verdicts: list[stats.FeatureVerdict]) -> stats.Status:
    """`drift` if any feature drifted, `insufficient_data` if none could be judged."""
    statuses = {v.status for v in verdicts}
    if "drift" in statuses:
        return "drift"
    return "no_drift" if "no_drift" in statuses else "insufficient_data"


def metric_data(
    endpoint: str, verdicts: list[stats.FeatureVerdict], status: stats.Status,
    window: capture.CaptureWindow, when: datetime,
) -> list[dict[str, Any]]:  # fmt: skip
    """CloudWatch datums: per feature KS_D, KS_p, PSI; per endpoint DriftDetected and counts.

    Features with insufficient data publish nothing, and neither does DriftDetected when no
    feature could be judged, so an alarm sees missing data rather than a false "no drift".
    """

    def datum(name: str, value: float, unit: str = "None", **dims: str) -> dict[str, Any]:
        dimensions = [{"Name": "Endpoint", "Value": endpoint}]
        dimensions += [{"Name": k, "Value": v} for k, v in dims.items()]
        value = 0.0 if abs(value) < SMALLEST_METRIC else float(value)
        return {"MetricName": name, "Dimensions": dimensions, "Timestamp": when,
                "Value": value, "Unit": unit}  # fmt: skip

    out = [datum("CaptureRecords", window.records, "Count"),
           datum("MalformedRecords", window.malformed, "Count")]  # fmt: skip
    for v in verdicts:
        stat = {"PSI": v.psi} | ({"KS_D": v.ks.statistic, "KS_p": v.ks.pvalue} if v.ks else {})
        out += [datum("FeatureDrift", value, Feature=v.feature, Statistic=name)
                for name, value in stat.items() if value is not None]  # fmt: skip
    if status != "insufficient_data":
        out.append(datum("DriftDetected", 1.0 if status == "drift" else 0.0))
    return out


def handler(event: Mapping[str, object], _context: object) -> dict[str, object]:
    """Check one window of an endpoint's capture for drift; publish metrics and a report."""
    config = parse_env(os.environ)
    end = parse_event(event)
    start = end - config.window
    s3 = s3_client()
    body = s3.get_object(Bucket=config.profile_bucket, Key=config.profile_key)["Body"].read()
    ref = profile.parse_profile(body)
    specs = _kinds(config, ref)
    window = capture.read_window(
        s3, bucket=config.capture_bucket, prefix=config.capture_prefix,
        endpoint=config.endpoint, specs=specs, start=start, end=end,
    )  # fmt: skip
    verdicts = assess(ref, window, specs, config.limits)
    status = overall(verdicts)
    data = metric_data(config.endpoint, verdicts, status, window, end)
    for i in range(0, len(data), 500):
        cloudwatch_client().put_metric_data(Namespace=NAMESPACE, MetricData=data[i : i + 500])  # type: ignore[arg-type]
    key = f"{config.report_prefix}/{config.endpoint}/{end:%Y/%m/%d/%H%M%S}.json".lstrip("/")
    report = {
        "version": 1, "endpoint": config.endpoint, "status": status,
        "window": {"start": start.isoformat(), "end": end.isoformat()},
        "capture": {"files": window.files, "records": window.records,
                    "malformed": window.malformed, "outside_window": window.outside_window,
                    "missing_values": window.missing},
        "thresholds": vars(config.limits), "features": [v.as_dict() for v in verdicts],
    }  # fmt: skip
    s3.put_object(Bucket=config.report_bucket, Key=key, Body=json.dumps(report).encode(),
                  ContentType="application/json")  # fmt: skip
    drifted = [v.feature for v in verdicts if v.status == "drift"]
    return {"endpoint": config.endpoint, "status": status, "drifted": drifted,
            "records": window.records, "malformed": window.malformed,
            "report": f"s3://{config.report_bucket}/{key}"}  # fmt: skip
