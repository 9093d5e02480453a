"""The drift reports bucket: KMS-encrypted, versioned, private, owner-only, TLS-only."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.children import Children


def create_report_bucket(children: Children, key: aws.kms.Key) -> aws.s3.Bucket:
    """A stateful bucket for the drift reports, encrypted with `key`."""
    bucket = aws.s3.Bucket(
        children.name("reports"),
        tags=children.tagged("reports", Purpose="drift-reports"),
        opts=children.stateful_opts(),
    )
    aws.s3.BucketPublicAccessBlock(
        children.name("reports-public-access"),
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=children.opts(),
    )
    aws.s3.BucketOwnershipControls(
        children.name("reports-ownership"),
        bucket=bucket.id,
        rule={"object_ownership": "BucketOwnerEnforced"},
        opts=children.opts(),
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        children.name("reports-encryption"),
        bucket=bucket.id,
        rules=[
            {
                "apply_server_side_encryption_by_default": {
                    "sse_algorithm": "aws:kms",
                    "kms_master_key_id": key.arn,
                },
                "bucket_key_enabled": True,
            }
        ],
        opts=children.opts(),
    )
    aws.s3.BucketVersioning(
        children.name("reports-versioning"),
        bucket=bucket.id,
        versioning_configuration={"status": "Enabled"},
        opts=children.opts(),
    )
    aws.s3.BucketPolicy(
        children.name("reports-policy"),
        bucket=bucket.id,
        policy=_iam.to_json(
            _iam.document(
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [bucket.arn, pulumi.Output.concat(bucket.arn, "/*")],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            )
        ),
        opts=children.opts(),
    )
    return bucket
