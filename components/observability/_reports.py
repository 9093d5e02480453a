"""The drift reports bucket: KMS-encrypted, versioned, private, owner-only, TLS-only."""

from __future__ import annotations

import pulumi_aws as aws

from mlops_platform.components.core.buckets import private_bucket
from mlops_platform.components.core.children import Children


def create_report_bucket(children: Children, key: aws.kms.Key) -> aws.s3.Bucket:
    """A stateful bucket for the drift reports, encrypted with `key`."""
    return private_bucket(
        children, "reports", key=key, tags=children.tagged("reports", Purpose="drift-reports")
    )
