"""The drift check's configuration (environment) and its event, each checked in full.

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

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import capture
from .verdict import Thresholds


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
    limits: Thresholds
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
    limits = Thresholds(
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
