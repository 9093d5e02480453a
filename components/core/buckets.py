"""Private buckets: KMS-encrypted, versioned, public access blocked, owner-only, TLS-only."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.children import Children


def tls_only(bucket: aws.s3.Bucket) -> dict[str, Any]:
    """The statement denying every request to `bucket` that does not use TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket.arn, pulumi.Output.concat(bucket.arn, "/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def private_bucket(
    children: Children,
    suffix: str,
    *,
    key: aws.kms.Key,
    tags: dict[str, str] | None = None,
    force_destroy: bool | None = None,
) -> aws.s3.Bucket:
    """A stateful bucket that only this account reaches, over TLS, encrypted with `key`.

    Its children: public access block, ownership controls (ACLs off: the policy alone decides),
    default encryption with a bucket key, versioning, and a TLS-only bucket policy.
    """
    bucket = aws.s3.Bucket(
        children.name(suffix),
        force_destroy=force_destroy,
        tags=tags if tags is not None else children.tagged(suffix),
        opts=children.stateful_opts(),
    )
    secure(children, suffix, bucket, key)
    aws.s3.BucketPolicy(
        children.name(f"{suffix}-policy"),
        bucket=bucket.id,
        policy=_iam.to_json(_iam.document(tls_only(bucket))),
        opts=children.opts(),
    )
    return bucket


def secure(children: Children, suffix: str, bucket: aws.s3.Bucket, key: aws.kms.Key) -> None:
    """Lock a bucket down; its policy is the caller's.

    Public access blocked, ACLs off (the policy alone decides), default encryption with `key`
    and a bucket key, versioning.
    """
    aws.s3.BucketPublicAccessBlock(
        children.name(f"{suffix}-public-access"),
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=children.opts(),
    )
    aws.s3.BucketOwnershipControls(
        children.name(f"{suffix}-ownership"),
        bucket=bucket.id,
        rule={"object_ownership": "BucketOwnerEnforced"},
        opts=children.opts(),
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        children.name(f"{suffix}-encryption"),
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
        children.name(f"{suffix}-versioning"),
        bucket=bucket.id,
        versioning_configuration={"status": "Enabled"},
        opts=children.opts(),
    )
