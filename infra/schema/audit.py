"""`mlops:audit`: the stack's audit trail. Unset keys take the `AuditTrailArgs` defaults.

The block is optional: without it the trail keeps its record a year, in the environment's
Object Lock mode. Prod must name who may read the trail, so prod stacks set it.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic.alias_generators import to_camel

from infra.schema import NAMESPACE, Section, StackContext
from mlops_platform.components.audit import AuditTrailArgs
from mlops_platform.components.core import ArgsError, Problem

DEFAULT_RETENTION_DAYS = 365


class AuditSettings(Section):
    """Keys of `mlops:audit`; ranges and prod's rules are checked by `AuditTrailArgs`."""

    retention_days: int | None = None
    """Object Lock retention of the trail's log files and ledger exports; a year when unset."""
    mode: str | None = None
    """COMPLIANCE or GOVERNANCE (default COMPLIANCE in prod, GOVERNANCE elsewhere)."""
    reader_arns: list[str] | None = None
    """IAM roles or users that may decrypt the log files (prod names at least one)."""
    data_bucket_arns: list[str] | None = None
    """More buckets whose object events are recorded, besides those the stack declares."""
    log_retention_days: int | None = None
    """Days the CloudWatch Logs copy is kept (default 365)."""
    ledger_export_schedule: str | None = None
    """When the promotion ledger is exported once connected; daily when unset."""


def build(
    settings: AuditSettings, context: StackContext, declared_buckets: Sequence[str] = ()
) -> AuditTrailArgs:
    """The trail's args: named after the stack, tagged, protected as the stack's data is.

    `declared_buckets` are the ARNs of buckets the stack's config names (artifact and model
    buckets), recorded besides `dataBucketArns`.
    """
    values = {"retention_days": DEFAULT_RETENTION_DAYS, **settings.model_dump(exclude_none=True)}
    buckets = sorted({*declared_buckets, *values.pop("data_bucket_arns", [])})
    return AuditTrailArgs(
        **values,
        data_bucket_arns=buckets,
        environment=context.environment or "dev",
        trail_name=f"mlops-{context.stack}-audit",
        tags=context.tags,
        protect_data=context.protect_data,
    )


def environment_rules(args: AuditTrailArgs, context: StackContext) -> list[Problem]:
    """Prod's rules live in `AuditTrailArgs` (mode, retention, readers); none to add here."""
    del args, context
    return []


def from_settings(
    settings: AuditSettings | None,
    given: bool,
    context: StackContext,
    problems: list[Problem],
    declared_buckets: Sequence[str] | None,
) -> AuditTrailArgs | None:
    """The trail's args from the validated block (absent: the defaults); None when invalid.

    `declared_buckets` None: the endpoints are unreadable, which is reported on its own; the
    trail's data buckets wait for them rather than echo that problem.
    """
    if (given and settings is None) or context.environment is None or declared_buckets is None:
        return None
    try:
        return build(settings or AuditSettings(), context, declared_buckets)
    except ArgsError as error:
        prefix = f"{NAMESPACE}:audit."
        problems += [p.moved_to(prefix, to_camel) for p in error.problems]
        return None


def bucket_arn(uri: str, partition: str) -> str | None:
    """The ARN of the bucket an `s3://bucket/key` URI names; None for anything else."""
    if not uri.startswith("s3://"):
        return None
    bucket = uri.removeprefix("s3://").split("/", 1)[0]
    return f"arn:{partition}:s3:::{bucket}" if bucket else None
