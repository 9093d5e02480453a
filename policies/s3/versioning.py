"""Buckets that hold models, logs or audit trails keep every version of every object."""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_policy import PolicyResource, Severity, StackValidationArgs

from mlops_platform.policies.common.buckets import buckets, companions
from mlops_platform.policies.common.rule import (
    Control,
    RuleInfo,
    Settings,
    StackReport,
    StackRule,
    boolean,
    string_list,
)
from mlops_platform.policies.common.stack import describe, linked, of_type
from mlops_platform.policies.common.types import (
    BUCKET_LOGGING,
    BUCKET_VERSIONING,
    BUCKETS,
    FLOW_LOG,
    SAGEMAKER_ENDPOINT_CONFIG,
    SAGEMAKER_MODEL,
    TRAIL,
)
from mlops_platform.policies.common.values import dig, is_true, tags_of

INFO = RuleInfo(
    name="aws-s3-bucket-versioning",
    description="S3 buckets that hold models, logs or audit trails have versioning enabled.",
    resource_types=(*BUCKETS, *BUCKET_VERSIONING),
    severity=Severity.MEDIUM,
    controls=(Control.fsbp("S3.14"),),
    remediation=(
        "Add an aws.s3.BucketVersioning for the bucket with versioning_configuration status "
        "'Enabled', so an overwritten or deleted model, log or trail can be recovered."
    ),
    params={
        "purposeTagKey": {
            "type": "string",
            "minLength": 1,
            "description": "Tag that says what a bucket holds.",
            "default": "Purpose",
        },
        "versionedPurposes": string_list(
            "Values of the purpose tag whose buckets must be versioned.",
            ["models", "logs", "audit", "data-capture"],
        ),
        "requireForAll": boolean("Require versioning on every bucket, whatever it holds.", False),
    },
)

_WRITERS = (
    (TRAIL, "s3BucketName", "receives CloudTrail logs"),
    (BUCKET_LOGGING[0], "targetBucket", "receives S3 access logs"),
    (BUCKET_LOGGING[1], "targetBucket", "receives S3 access logs"),
    (FLOW_LOG, "logDestination", "receives VPC flow logs"),
    (SAGEMAKER_ENDPOINT_CONFIG, "dataCaptureConfig", "receives SageMaker data capture"),
    (SAGEMAKER_MODEL, "primaryContainer", "holds model artifacts"),
    (SAGEMAKER_MODEL, "containers", "holds model artifacts"),
)
"""Resources whose input names a bucket they write to or read models from, and what that means."""


def _reasons(resources: Sequence[PolicyResource], settings: Settings) -> dict[str, str]:
    """Why each bucket must be versioned (the first reason found), by bucket URN."""
    all_buckets = buckets(resources)
    reasons: dict[str, str] = {}
    key = settings["purposeTagKey"]
    for bucket in all_buckets:
        purpose = tags_of(bucket.props).get(key)
        if purpose in settings["versionedPurposes"]:
            reasons[bucket.urn] = f"is tagged {key}={purpose}"
        elif settings["requireForAll"]:
            reasons[bucket.urn] = "is in an environment that versions every bucket"
    for type_, prop, reason in _WRITERS:
        for writer in of_type(resources, type_):
            for bucket in linked(writer, prop, all_buckets):
                reasons.setdefault(bucket.urn, reason)
    return reasons


def _versioned(bucket: PolicyResource, configs: list[PolicyResource]) -> bool:
    if any(dig(c.props, "versioningConfiguration", "status") == "Enabled" for c in configs):
        return True
    return is_true(dig(bucket.props, "versioning", "enabled")) or is_true(
        dig(bucket.props, "versionings", "enabled")
    )


def _check(args: StackValidationArgs, settings: Settings, report: StackReport) -> None:
    reasons = _reasons(args.resources, settings)
    configs = companions(args.resources, BUCKET_VERSIONING)
    for bucket in buckets(args.resources):
        reason = reasons.get(bucket.urn)
        if reason and not _versioned(bucket, configs[bucket.urn]):
            report(
                f"{describe(bucket)} {reason} but versioning is not enabled; add an "
                "aws.s3.BucketVersioning with status 'Enabled'",
                bucket.urn,
            )


POLICY = StackRule(INFO, _check)
