"""Audit buckets lock every object version for a retention period no one can shorten."""

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
    integer,
    string_list,
)
from mlops_platform.policies.common.stack import describe, linked, of_type
from mlops_platform.policies.common.types import BUCKETS, TRAIL
from mlops_platform.policies.common.values import as_number, dig, is_true, tags_of

OBJECT_LOCK_CONFIGURATION = (
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
)
_DAYS_PER_YEAR = 365

INFO = RuleInfo(
    name="aws-s3-bucket-audit-object-lock",
    description=(
        "S3 buckets that hold audit records have Object Lock with a default retention rule."
    ),
    resource_types=(*BUCKETS, *OBJECT_LOCK_CONFIGURATION),
    severity=Severity.HIGH,
    controls=(Control.fsbp("S3.15"),),
    remediation=(
        "Create the bucket with object_lock_enabled=True and add an "
        "aws.s3.BucketObjectLockConfiguration whose rule sets a default retention "
        "(COMPLIANCE mode in prod), so no one can delete or overwrite the audit record."
    ),
    params={
        "purposeTagKey": {
            "type": "string",
            "minLength": 1,
            "description": "Tag that says what a bucket holds.",
            "default": "Purpose",
        },
        "auditPurposes": string_list(
            "Values of the purpose tag whose buckets hold audit records.", ["audit"]
        ),
        "requiredModes": string_list(
            "Object Lock modes this environment accepts (prod: COMPLIANCE only).",
            ["COMPLIANCE", "GOVERNANCE"],
        ),
        "minimumRetentionDays": integer("Shortest default retention accepted, in days.", 1, 1),
    },
)


def _audit_reasons(resources: Sequence[PolicyResource], settings: Settings) -> dict[str, str]:
    """Why each audit bucket holds audit records, by bucket URN."""
    all_buckets = buckets(resources)
    key = settings["purposeTagKey"]
    reasons: dict[str, str] = {}
    for bucket in all_buckets:
        purpose = tags_of(bucket.props).get(key)
        if purpose in settings["auditPurposes"]:
            reasons[bucket.urn] = f"is tagged {key}={purpose}"
    for trail in of_type(resources, TRAIL):
        for bucket in linked(trail, "s3BucketName", all_buckets):
            reasons.setdefault(bucket.urn, "receives CloudTrail logs")
    return reasons


def _retention(
    bucket: PolicyResource, configs: list[PolicyResource]
) -> tuple[object, float] | None:
    """(mode, days) of the bucket's default retention, or None when it has none."""
    rules = [dig(c.props, "rule", "defaultRetention") for c in configs]
    rules.append(dig(bucket.props, "objectLockConfiguration", "rule", "defaultRetention"))
    for rule in rules:
        if not rule:
            continue
        days = as_number(dig(rule, "days"))
        years = as_number(dig(rule, "years"))
        total = days if days is not None else (years or 0) * _DAYS_PER_YEAR
        return dig(rule, "mode"), total
    return None


def _problem(
    bucket: PolicyResource, configs: list[PolicyResource], settings: Settings
) -> str | None:
    enabled = is_true(dig(bucket.props, "objectLockEnabled")) or (
        dig(bucket.props, "objectLockConfiguration", "objectLockEnabled") == "Enabled"
    )
    if not enabled:
        return "but Object Lock is not enabled; create it with object_lock_enabled=True"
    retention = _retention(bucket, configs)
    if retention is None:
        return (
            "but has no default retention; add an aws.s3.BucketObjectLockConfiguration with a "
            "default retention rule"
        )
    mode, days = retention
    allowed = settings["requiredModes"]
    if mode not in allowed:
        return f"but locks in {mode} mode; this environment accepts {' or '.join(allowed)}"
    minimum = settings["minimumRetentionDays"]
    if days < minimum:
        return f"but retains objects {days:g} days; this environment requires at least {minimum}"
    return None


def _check(args: StackValidationArgs, settings: Settings, report: StackReport) -> None:
    reasons = _audit_reasons(args.resources, settings)
    configs = companions(args.resources, OBJECT_LOCK_CONFIGURATION)
    for bucket in buckets(args.resources):
        reason = reasons.get(bucket.urn)
        problem = reason and _problem(bucket, configs[bucket.urn], settings)
        if problem:
            report(f"{describe(bucket)} {reason} {problem}", bucket.urn)


POLICY = StackRule(INFO, _check)
