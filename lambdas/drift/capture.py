"""Read SageMaker data-capture JSON Lines for a time window and pull out configured features.

Capture files sit at `<prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/*.jsonl`; each line is::

    {"captureData": {"endpointInput":  {"observedContentType": "text/csv", "mode": "INPUT",
                                        "data": "5.1,3.5,DE", "encoding": "CSV"},
                     "endpointOutput": {"observedContentType": "text/csv", "mode": "OUTPUT",
                                        "data": "0.93", "encoding": "CSV"}},
     "eventMetadata": {"eventId": "...", "inferenceTime": "2026-12-01T21:05:10Z"},
     "eventVersion": "0"}

`encoding` is CSV, JSON or BASE64 (then `observedContentType` says whether the decoded bytes
are CSV or JSON). A CSV payload may hold several rows, one a line; a JSON payload may be an
object (one row), a list of objects or of lists, or an object with an `instances` list.
Lines that cannot be read are counted and skipped, never raised.
"""

from __future__ import annotations

import base64
import binascii
import csv
import json
import sys
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


@dataclass(frozen=True)
class FeatureSpec:
    """Where one monitored feature sits in a captured request or response."""

    name: str
    """The feature's name, as in the reference profile."""
    source: Literal["input", "output"] = "input"
    """`input` for the request (`endpointInput`), `output` for the prediction."""
    column: int | None = None
    """Column index in a CSV row or a JSON list row."""
    key: str | None = None
    """Key in a JSON object row."""
    kind: Literal["numeric", "categorical"] = "numeric"
    """Numeric values are read as floats; categorical ones as strings."""


@dataclass
class CaptureWindow:
    """What one window of capture held, per feature, and what could not be read."""

    numeric: dict[str, array[float]] = field(default_factory=dict)
    """Values of numeric features (8 bytes a row)."""
    categorical: dict[str, list[str]] = field(default_factory=dict)
    """Values of categorical features."""
    files: int = 0
    """Capture objects read."""
    records: int = 0
    """Capture lines inside the window that were read."""
    malformed: int = 0
    """Lines skipped because they were not a readable capture record."""
    outside_window: int = 0
    """Readable lines whose inferenceTime fell outside the window."""
    missing: dict[str, int] = field(default_factory=dict)
    """Rows per feature where the value was absent or not a number."""

    def rows(self, name: str) -> int:
        """Number of values read for feature `name`."""
        return len(self.numeric.get(name, ())) + len(self.categorical.get(name, ()))


class MalformedRecordError(ValueError):
    """One capture line that is not a readable record."""


def hour_prefixes(
    prefix: str, endpoint: str, variant: str, start: datetime, end: datetime
) -> list[str]:
    """The hourly key prefixes that can hold records with start <= inferenceTime < end.

    The folder is the hour the file was written, which can be just after the record's
    inferenceTime, so the hour after `end` is listed too; records are filtered by time.
    """
    hour = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    base = f"{prefix.strip('/')}/{endpoint}/{variant}/".lstrip("/")
    out = []
    while hour <= end:
        out.append(f"{base}{hour:%Y/%m/%d/%H}/")
        hour += timedelta(hours=1)
    return out


def parse_time(text: object) -> datetime:
    """Parse an ISO 8601 time (a trailing Z allowed) as an aware UTC datetime."""
    if not isinstance(text, str):
        raise MalformedRecordError(f"time must be a string, got {text!r}")
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise MalformedRecordError(f"time {text!r} is not ISO 8601") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _payload_rows(part: object) -> list[object]:
    """Rows of one `endpointInput`/`endpointOutput` block."""
    if not isinstance(part, dict) or not isinstance(part.get("data"), str):
        raise MalformedRecordError("capture block has no string `data`")
    data, encoding = part["data"], str(part.get("encoding", "")).upper()
    content_type = str(part.get("observedContentType", "")).lower()
    if encoding == "BASE64":
        try:
            data = base64.b64decode(data, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as error:
            raise MalformedRecordError("BASE64 data does not decode") from error
        encoding = "JSON" if "json" in content_type else "CSV" if "csv" in content_type else ""
    if encoding == "CSV":
        return [row for row in csv.reader(data.splitlines()) if row]
    if encoding == "JSON":
        try:
            value = json.loads(data)
        except json.JSONDecodeError as error:
            raise MalformedRecordError("JSON data does not parse") from error
        if isinstance(value, dict) and isinstance(value.get("instances"), list):
            return list(value["instances"])
        if isinstance(value, list) and value and all(isinstance(v, dict | list) for v in value):
            return list(value)
        return [value]
    raise MalformedRecordError(f"unknown encoding {encoding!r} / content type {content_type!r}")


def _pick(row: object, spec: FeatureSpec) -> object:
    """The value of `spec` in one row, or None when the row does not hold it."""
    if isinstance(row, dict):
        return row.get(spec.key) if spec.key is not None else None
    if isinstance(row, list):
        column = spec.column if spec.column is not None else 0
        return row[column] if -len(row) <= column < len(row) else None
    return row if spec.column in (None, 0) and spec.key is None else None


def _store(window: CaptureWindow, spec: FeatureSpec, value: object) -> None:
    if value is None or isinstance(value, dict | list | bool):
        window.missing[spec.name] = window.missing.get(spec.name, 0) + 1
    elif spec.kind == "categorical":
        window.categorical[spec.name].append(sys.intern(str(value).strip()))
    else:
        try:
            window.numeric[spec.name].append(float(value))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            window.missing[spec.name] = window.missing.get(spec.name, 0) + 1


def read_lines(
    lines: Iterable[bytes | str],
    specs: list[FeatureSpec],
    start: datetime,
    end: datetime,
    window: CaptureWindow,
) -> None:
    """Add the features of every capture line with start <= inferenceTime < end to `window`."""
    for name in (s.name for s in specs if s.kind == "numeric"):
        window.numeric.setdefault(name, array("d"))
    for name in (s.name for s in specs if s.kind == "categorical"):
        window.categorical.setdefault(name, [])
    for line in lines:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            capture = record["captureData"]
            when = parse_time(record["eventMetadata"]["inferenceTime"])
            if not start <= when < end:
                window.outside_window += 1
                continue
            blocks = {
                source: _payload_rows(capture[key])
                for source, key in (("input", "endpointInput"), ("output", "endpointOutput"))
                if any(s.source == source for s in specs)
            }
        except (MalformedRecordError, json.JSONDecodeError, KeyError, TypeError, UnicodeError):
            window.malformed += 1
            continue
        window.records += 1
        for spec in specs:
            for row in blocks[spec.source]:
                _store(window, spec, _pick(row, spec))


def _variants(s3: S3Client, bucket: str, prefix: str, endpoint: str) -> Iterator[str]:
    base = f"{prefix.strip('/')}/{endpoint}/".lstrip("/")
    for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=base, Delimiter="/"
    ):
        for common in page.get("CommonPrefixes", []):
            yield common["Prefix"][len(base) :].strip("/")


def read_window(
    s3: S3Client,
    *,
    bucket: str,
    prefix: str,
    endpoint: str,
    specs: list[FeatureSpec],
    start: datetime,
    end: datetime,
) -> CaptureWindow:
    """Read every variant's capture of `endpoint` for start <= inferenceTime < end."""
    window = CaptureWindow()
    read_lines([], specs, start, end, window)
    paginator = s3.get_paginator("list_objects_v2")
    for variant in _variants(s3, bucket, prefix, endpoint):
        for hour in hour_prefixes(prefix, endpoint, variant, start, end):
            for page in paginator.paginate(Bucket=bucket, Prefix=hour):
                for item in page.get("Contents", []):
                    body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"]
                    window.files += 1
                    read_lines(body.iter_lines(), specs, start, end, window)
    return window
