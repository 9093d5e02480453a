"""Scheduled drift check of one SageMaker endpoint: capture window vs reference profile.

The entry point: it reads the configuration (`settings`, where the environment is described),
the reference profile and the window's capture (`capture`), judges each feature (`verdict`),
and publishes the metrics and the report (`publish`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

import boto3

from . import capture, profile, publish
from .settings import DriftConfig, InvalidInputError, parse_env, parse_event
from .verdict import FeatureVerdict, Status, Thresholds, assess_categorical, assess_numeric

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch import CloudWatchClient
    from mypy_boto3_s3 import S3Client


@functools.cache
def s3_client() -> S3Client:
    """The container's S3 client, created on first use."""
    return boto3.client("s3")


@functools.cache
def cloudwatch_client() -> CloudWatchClient:
    """The container's CloudWatch client, created on first use."""
    return boto3.client("cloudwatch")


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
    limits: Thresholds,
) -> list[FeatureVerdict]:  # fmt: skip
    """Each monitored feature's verdict for one window."""
    verdicts = []
    for spec in specs:
        reference = ref.features[spec.name]
        if isinstance(reference, profile.CategoricalReference):
            values = window.categorical[spec.name]
            verdicts.append(assess_categorical(spec.name, reference.counts, values, limits))
        else:
            verdicts.append(assess_numeric(
                spec.name, sorted_sample=reference.sample, edges=reference.edges,
                reference_counts=reference.counts, values=window.numeric[spec.name], limits=limits,
            ))  # fmt: skip
    return verdicts


def overall(verdicts: list[FeatureVerdict]) -> Status:
    """`drift` if any feature drifted, `insufficient_data` if none could be judged."""
    statuses = {v.status for v in verdicts}
    if "drift" in statuses:
        return "drift"
    return "no_drift" if "no_drift" in statuses else "insufficient_data"


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
    publish.put_metrics(
        cloudwatch_client(), publish.metric_data(config.endpoint, verdicts, status, window, end)
    )
    key = publish.report_key(config, end)
    publish.write_report(s3, config, key, publish.report(config, verdicts, status, window,
                                                         (start, end)))  # fmt: skip
    drifted = [v.feature for v in verdicts if v.status == "drift"]
    return {"endpoint": config.endpoint, "status": status, "drifted": drifted,
            "records": window.records, "malformed": window.malformed,
            "report": f"s3://{config.report_bucket}/{key}"}  # fmt: skip
