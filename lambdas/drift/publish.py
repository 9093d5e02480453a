"""What a drift check leaves behind: CloudWatch metrics and the JSON report in S3."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import capture
from .settings import DriftConfig
from .verdict import FeatureVerdict, Status

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch import CloudWatchClient
    from mypy_boto3_s3 import S3Client

NAMESPACE = "mlops/Drift"
"""CloudWatch namespace of every drift metric."""
SMALLEST_METRIC = 1e-100
"""CloudWatch rejects magnitudes below about 2^-360 (8.5e-109); smaller values publish as 0."""
BATCH = 500
"""Datums per `PutMetricData` call (the API's limit is 1,000)."""


def metric_data(
    endpoint: str, verdicts: list[FeatureVerdict], status: Status,
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


def put_metrics(cloudwatch: CloudWatchClient, data: list[dict[str, Any]]) -> None:
    """Publish the datums in batches under `NAMESPACE`."""
    for i in range(0, len(data), BATCH):
        cloudwatch.put_metric_data(Namespace=NAMESPACE, MetricData=data[i : i + BATCH])  # type: ignore[arg-type]


def report_key(config: DriftConfig, end: datetime) -> str:
    """`<prefix>/<endpoint>/yyyy/mm/dd/HHMMSS.json`: one report per window end."""
    return f"{config.report_prefix}/{config.endpoint}/{end:%Y/%m/%d/%H%M%S}.json".lstrip("/")


def report(
    config: DriftConfig, verdicts: list[FeatureVerdict], status: Status,
    window: capture.CaptureWindow, span: tuple[datetime, datetime],
) -> dict[str, object]:  # fmt: skip
    """The JSON report of one window: what was read, the thresholds, each feature's verdict."""
    start, end = span
    return {
        "version": 1, "endpoint": config.endpoint, "status": status,
        "window": {"start": start.isoformat(), "end": end.isoformat()},
        "capture": {"files": window.files, "records": window.records,
                    "malformed": window.malformed, "outside_window": window.outside_window,
                    "missing_values": window.missing},
        "thresholds": vars(config.limits), "features": [v.as_dict() for v in verdicts],
    }  # fmt: skip


def write_report(s3: S3Client, config: DriftConfig, key: str, body: dict[str, object]) -> None:
    """Store the report as JSON in the report bucket."""
    s3.put_object(Bucket=config.report_bucket, Key=key, Body=json.dumps(body).encode(),
                  ContentType="application/json")  # fmt: skip
