"""The audit bucket (Object Lock, KMS, TLS only, CloudTrail for one trail) and its log bucket.

Object Lock can only be switched on when a bucket is created: the provider marks
`object_lock_enabled` as forcing replacement, and a replaced audit bucket would be a new, empty
record. The bucket is therefore created locked from the first deployment and never toggled.
"""

from __future__ import annotations

from typing import Any, cast

import pulumi_aws as aws

from mlops_platform.components.audit import documents
from mlops_platform.components.core.buckets import secure
from mlops_platform.components.core.children import Children


def _tls_only(bucket_arn: str) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def access_log_policy(
    *, log_bucket_arn: str, source_bucket_arn: str, account_id: str
) -> dict[str, Any]:
    """TLS only, and S3 logging may write access logs of the audit bucket alone."""
    return {
        "Version": documents.VERSION,
        "Statement": [
            _tls_only(log_bucket_arn),
            {
                "Sid": "S3ServerAccessLogsOfAuditBucket",
                "Effect": "Allow",
                "Principal": {"Service": "logging.s3.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"{log_bucket_arn}/*",
                "Condition": {
                    "ArnLike": {"aws:SourceArn": source_bucket_arn},
                    "StringEquals": {"aws:SourceAccount": account_id},
                },
            },
        ],
    }


def create_access_log_bucket(children: Children, key: aws.kms.Key) -> aws.s3.Bucket:
    """Where S3 writes the audit bucket's access logs, encrypted with the trail's key.

    S3's log delivery encrypts with the key because the key policy lets it (`logging.s3`).
    """
    bucket = aws.s3.Bucket(
        children.name("access-logs"),
        tags=children.tagged("access-logs", Purpose="access-logs"),
        opts=children.stateful_opts(),
    )
    secure(children, "access-logs", bucket, key)
    return bucket


def create_audit_bucket(
    children: Children,
    *,
    key: aws.kms.Key,
    lock: dict[str, Any],
    access_logs: aws.s3.Bucket,
) -> aws.s3.Bucket:
    """The locked bucket the trail and the ledger export write to; its policy comes later."""
    bucket = aws.s3.Bucket(
        children.name("bucket"),
        object_lock_enabled=True,  # forces replacement: set at creation, never changed
        tags=children.tagged("bucket", Purpose="audit"),
        opts=children.stateful_opts(),
    )
    secure(children, "bucket", bucket, key)
    aws.s3.BucketObjectLockConfiguration(
        children.name("bucket-object-lock"),
        bucket=bucket.id,
        object_lock_enabled=lock["object_lock_enabled"],
        rule=cast("aws.s3.BucketObjectLockConfigurationRuleArgsDict", lock["rule"]),
        opts=children.opts(),
    )
    aws.s3.BucketLogging(
        children.name("bucket-access-logging"),
        bucket=bucket.id,
        target_bucket=access_logs.id,
        target_prefix="audit-bucket/",
        opts=children.opts(),
    )
    return bucket
