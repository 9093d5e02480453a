"""The promotion ledger's scheduled export into the locked audit bucket.

EventBridge Scheduler calls DynamoDB's `ExportTableToPointInTime` directly (a universal
`aws-sdk` target, no Lambda): each run writes a full export under `ledger/` in the audit bucket,
where Object Lock keeps it for the bucket's retention. The table needs point-in-time recovery.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.audit.args import LEDGER_PREFIX
from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children

EXPORT_TARGET = "arn:aws:scheduler:::aws-sdk:dynamodb:exportTableToPointInTime"
"""The Scheduler's universal target for DynamoDB's ExportTableToPointInTime."""


def export_input(*, table_arn: str, bucket: str, account_id: str, key_arn: str) -> str:
    """The API call's parameters, as the schedule's target input (JSON, PascalCase)."""
    return json.dumps(
        {
            "TableArn": table_arn,
            "S3Bucket": bucket,
            "S3BucketOwner": account_id,
            "S3Prefix": LEDGER_PREFIX,
            "S3SseAlgorithm": "KMS",
            "S3SseKmsKeyId": key_arn,
            "ExportFormat": "DYNAMODB_JSON",
        },
        sort_keys=True,
    )


def export_policy(*, table_arn: str, bucket_arn: str, key_arn: str) -> dict[str, Any]:
    """What the schedule's role may do: export this table into `ledger/` of this bucket."""
    return _iam.document(
        {
            "Sid": "ExportLedgerTable",
            "Effect": "Allow",
            "Action": "dynamodb:ExportTableToPointInTime",
            "Resource": table_arn,
        },
        {
            "Sid": "WriteLedgerExports",
            "Effect": "Allow",
            "Action": ["s3:PutObject", "s3:AbortMultipartUpload"],
            "Resource": f"{bucket_arn}/{LEDGER_PREFIX}/*",
        },
        {
            "Sid": "EncryptLedgerExports",
            "Effect": "Allow",
            "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
            "Resource": key_arn,
        },
    )


def create_export_role(children: Children, context: AwsContext) -> aws.iam.Role:
    """The role EventBridge Scheduler assumes for this account's schedules only."""
    return aws.iam.Role(
        children.name("ledger-export-role"),
        assume_role_policy=_iam.to_json(
            _iam.service_trust("scheduler.amazonaws.com", context.account_id)
        ),
        tags=children.tagged("ledger-export-role"),
        opts=children.opts(),
    )


def create_export(
    children: Children,
    context: AwsContext,
    *,
    role: aws.iam.Role,
    table_arn: pulumi.Input[str],
    bucket: aws.s3.Bucket,
    key: aws.kms.Key,
    schedule: str,
) -> aws.scheduler.Schedule:
    """The role's policy and the schedule that exports the ledger table."""
    policy = aws.iam.RolePolicy(
        children.name("ledger-export-policy"),
        role=role.id,
        policy=pulumi.Output.all(table_arn, bucket.arn, key.arn).apply(
            lambda v: json.dumps(export_policy(table_arn=v[0], bucket_arn=v[1], key_arn=v[2]))
        ),
        opts=children.opts(),
    )
    target_input = pulumi.Output.all(table_arn, bucket.bucket, context.account_id, key.arn).apply(
        lambda v: export_input(table_arn=v[0], bucket=v[1], account_id=v[2], key_arn=v[3])
    )
    return aws.scheduler.Schedule(
        children.name("ledger-export"),
        description=f"Exports the promotion ledger to the audit bucket of {children.prefix}",
        schedule_expression=schedule,
        flexible_time_window={"mode": "OFF"},
        target={
            "arn": EXPORT_TARGET,
            "role_arn": role.arn,
            "input": target_input,
            "retry_policy": {"maximum_retry_attempts": 3},
        },
        opts=children.opts(depends_on=[policy]),
    )
