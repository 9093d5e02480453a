"""What one environment's audit trail records, how long its record is locked, and the checks.

`check_audit` is pure: plain values in, every problem out. `AuditTrailArgs` runs it once when
built, so an `AuditTrail` is never created from settings that would not hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi

from mlops_platform.components.core.errors import Problem, raise_if_any
from mlops_platform.components.core.logs import check_retention as check_log_retention

MIN_RETENTION_DAYS = 1
MAX_RETENTION_DAYS = 36500
"""S3 accepts a default retention of 1 day to 100 years."""
PROD_MIN_RETENTION_DAYS = 365
"""Prod keeps its audit record at least a year."""
LOCK_MODES = ("COMPLIANCE", "GOVERNANCE")
DEFAULT_LEDGER_EXPORT_SCHEDULE = "rate(1 day)"
"""How often the ledger is exported when a ledger table is connected."""
LEDGER_PREFIX = "ledger"
"""Key prefix of the ledger exports in the audit bucket."""

_READER = re.compile(r"^arn:aws[a-z-]*:(iam::\d{12}:(role|user)/[\w+=,.@/-]+|iam::\d{12}:root)$")
_BUCKET = re.compile(r"^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_SCHEDULE = re.compile(r"^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$")
_TRAIL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$")


def check_retention(environment: str, days: object) -> list[Problem]:
    """A problem when `days` is not an Object Lock retention the environment accepts."""
    name = "retention_days"
    if isinstance(days, bool) or not isinstance(days, int):
        return [Problem(name, days, "must be a whole number of days")]
    if not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS:
        reason = f"must be {MIN_RETENTION_DAYS} to {MAX_RETENTION_DAYS} days (S3's limits)"
        return [Problem(name, days, reason)]
    if environment == "prod" and days < PROD_MIN_RETENTION_DAYS:
        reason = f"prod keeps its audit record at least {PROD_MIN_RETENTION_DAYS} days"
        return [Problem(name, days, reason)]
    return []


def check_audit(
    *,
    environment: str,
    retention_days: object,
    mode: str,
    reader_arns: Sequence[str],
    data_bucket_arns: Sequence[object],
) -> list[Problem]:
    """Every problem with an environment's audit settings, in field order; empty when valid.

    Args:
        environment: The stack's environment (`dev`, `staging`, `prod`).
        retention_days: Default Object Lock retention of the audit bucket.
        mode: The Object Lock mode asked for; prod allows only COMPLIANCE.
        reader_arns: Who may decrypt log files; prod needs at least one.
        data_bucket_arns: Buckets whose object events the trail records; prod needs at least
            one. Values that are not strings (Outputs of buckets built in the same program)
            count, and are checked by AWS instead.
    """
    problems = check_retention(environment, retention_days)
    if mode not in LOCK_MODES:
        problems.append(Problem("mode", mode, "must be COMPLIANCE or GOVERNANCE"))
    elif environment == "prod" and mode != "COMPLIANCE":
        reason = "prod locks its audit record in COMPLIANCE mode, which no one can shorten"
        problems.append(Problem("mode", mode, reason))
    if environment == "prod" and not reader_arns:
        problems.append(
            Problem("reader_arns", [], "prod names at least one role that may read the trail")
        )
    for index, arn in enumerate(reader_arns):
        if not _READER.match(arn):
            reason = "must be the ARN of an IAM role, user or account root, with no wildcard"
            problems.append(Problem(f"reader_arns[{index}]", arn, reason))
    if environment == "prod" and not data_bucket_arns:
        reason = "prod records object events on its model, capture and artifact buckets"
        problems.append(Problem("data_bucket_arns", [], reason))
    for index, bucket in enumerate(data_bucket_arns):
        if isinstance(bucket, str) and not _BUCKET.match(bucket):
            reason = "must be a bucket ARN (arn:aws:s3:::name), with no key and no wildcard"
            problems.append(Problem(f"data_bucket_arns[{index}]", bucket, reason))
    return problems


def _check_extras(args: AuditTrailArgs) -> list[Problem]:
    problems = []
    if not _TRAIL_NAME.match(args.trail_name):
        reason = "3-128 letters, digits, periods, underscores or hyphens, alphanumeric at both ends"
        problems.append(Problem("trail_name", args.trail_name, reason))
    problems += check_log_retention("log_retention_days", args.log_retention_days)
    if not _SCHEDULE.match(args.ledger_export_schedule):
        reason = "an EventBridge Scheduler expression: rate(<n> <unit>) or cron(...)"
        problems.append(Problem("ledger_export_schedule", args.ledger_export_schedule, reason))
    return problems


@dataclass(frozen=True, kw_only=True)
class AuditTrailArgs:
    """What one environment's audit trail records and how long its record is locked."""

    environment: str
    """The stack's environment; prod demands COMPLIANCE mode, a year's retention and readers."""
    trail_name: str
    """The trail's physical name: explicit, so the bucket and key policies can name its ARN
    before it exists (`aws:SourceArn`). Unique per account and region."""
    retention_days: int
    """Default Object Lock retention of every object in the audit bucket, in days."""
    mode: str | None = None
    """Object Lock mode; defaults to COMPLIANCE in prod and GOVERNANCE elsewhere."""
    reader_arns: Sequence[str] = ()
    """IAM roles or users that may decrypt the log files. Defaults to none: nobody reads."""
    data_bucket_arns: Sequence[pulumi.Input[str]] = ()
    """Buckets whose S3 object events the trail records (models, capture, artifacts)."""
    log_retention_days: int = 365
    """Days the trail's CloudWatch Logs copy is kept (the S3 copy follows `retention_days`)."""
    ledger_table_arn: pulumi.Input[str] | None = None
    """The promotion ledger's DynamoDB table (point-in-time recovery on); when set, it is
    exported to the audit bucket on `ledger_export_schedule`. Defaults to no export."""
    ledger_export_schedule: str = DEFAULT_LEDGER_EXPORT_SCHEDULE
    """When the ledger is exported; defaults to once a day."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags every taggable child carries."""
    protect_data: bool = True
    """Protect the key, the buckets and the log group, and keep them on delete."""

    def __post_init__(self) -> None:
        problems = check_audit(
            environment=self.environment,
            retention_days=self.retention_days,
            mode=self.lock_mode,
            reader_arns=self.reader_arns,
            data_bucket_arns=self.data_bucket_arns,
        )
        raise_if_any("AuditTrailArgs", [*problems, *_check_extras(self)])

    @property
    def lock_mode(self) -> str:
        """The Object Lock mode: the one given, else the environment's."""
        if self.mode is not None:
            return self.mode
        return "COMPLIANCE" if self.environment == "prod" else "GOVERNANCE"
