"""CloudWatch Logs: the retention periods it accepts, and encrypted, retained log groups."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core.children import Children
from mlops_platform.components.core.errors import Problem

# fmt: off
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                      2192, 2557, 2922, 3288, 3653)
# fmt: on
"""The retention periods CloudWatch Logs accepts."""


def check_retention(field: str, days: object) -> list[Problem]:
    """A problem when `days` is not a retention period CloudWatch Logs accepts."""
    if days in LOG_RETENTION_DAYS and not isinstance(days, bool):
        return []
    allowed = ", ".join(map(str, LOG_RETENTION_DAYS))
    return [Problem(field, days, f"CloudWatch Logs accepts {allowed}")]


def encrypted_log_group(
    children: Children,
    suffix: str,
    *,
    key: aws.kms.Key,
    retention_days: int,
    name: pulumi.Input[str] | None = None,
    name_prefix: str | None = None,
) -> aws.cloudwatch.LogGroup:
    """A log group encrypted with `key` and kept `retention_days`: a stateful child.

    Give `name` when a service writes to a group of a known name (create it first, or the
    service creates an unencrypted one), else `name_prefix` to let Pulumi auto-name it.
    """
    return aws.cloudwatch.LogGroup(
        children.name(suffix),
        name=name,
        name_prefix=name_prefix,
        kms_key_id=key.arn,
        retention_in_days=retention_days,
        deletion_protection_enabled=children.protect_data,
        tags=children.tagged(suffix),
        opts=children.stateful_opts(),
    )
