"""Where an endpoint keeps data: its KMS key, its log group and its data-capture bucket.

Every store is encrypted with the endpoint's key, and protected and kept on delete when the
endpoint protects its data.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core import kms as _kms
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.core.logs import encrypted_log_group
from mlops_platform.components.sagemaker.capture import CAPTURE_PREFIX, DataCaptureSpec


def log_group_name(endpoint_name: pulumi.Input[str]) -> pulumi.Output[str]:
    """The group SageMaker writes an endpoint's container logs to; its name is fixed by AWS."""
    return pulumi.Output.concat("/aws/sagemaker/Endpoints/", endpoint_name)


def create_key(children: Children, context: AwsContext, *grants: dict[str, Any]) -> aws.kms.Key:
    """The endpoint's key: volumes, captured data, logs and notifications are encrypted with it.

    IAM principals of the account use it through their own policies (the model's role does);
    services that act on their own (CloudWatch, CloudWatch Logs) through `grants`.
    """
    return _kms.encryption_key(
        children.name("key"),
        description=f"Encrypts the data of the model endpoint {children.prefix}",
        policy=_kms.key_policy(context, *grants),
        tags=children.tagged("key"),
        opts=children.stateful_opts(),
    )


def create_log_group(
    children: Children,
    *,
    endpoint_name: pulumi.Input[str],
    key: aws.kms.Key,
    retention_days: int,
) -> aws.cloudwatch.LogGroup:
    """The endpoint's log group, made before SageMaker would make an unencrypted one."""
    return encrypted_log_group(
        children, "logs", name=log_group_name(endpoint_name), key=key, retention_days=retention_days
    )


def create_capture_bucket(children: Children, key: aws.kms.Key) -> aws.s3.Bucket:
    """A bucket for captured data: KMS-encrypted, versioned, private, owner-only, TLS-only."""
    bucket = aws.s3.Bucket(
        children.name("capture"), tags=children.tagged("capture"), opts=children.stateful_opts()
    )
    aws.s3.BucketPublicAccessBlock(
        children.name("capture-public-access"),
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=children.opts(),
    )
    aws.s3.BucketOwnershipControls(
        children.name("capture-ownership"),
        bucket=bucket.id,
        rule={"object_ownership": "BucketOwnerEnforced"},  # ACLs off: the policy alone decides
        opts=children.opts(),
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        children.name("capture-encryption"),
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
        children.name("capture-versioning"),
        bucket=bucket.id,
        versioning_configuration={"status": "Enabled"},
        opts=children.opts(),
    )
    aws.s3.BucketPolicy(
        children.name("capture-policy"),
        bucket=bucket.id,
        policy=_iam.to_json(_tls_only(bucket)),
        opts=children.opts(),
    )
    return bucket


def _tls_only(bucket: aws.s3.Bucket) -> _iam.PolicyDocument:
    return _iam.document(
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [bucket.arn, pulumi.Output.concat(bucket.arn, "/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    )


def capture_uri(bucket: aws.s3.Bucket) -> pulumi.Output[str]:
    """Where SageMaker writes captured data: `s3://<bucket>/data-capture/`."""
    return pulumi.Output.concat("s3://", bucket.bucket, f"/{CAPTURE_PREFIX}/")


def data_capture_config(
    spec: DataCaptureSpec, *, destination: pulumi.Input[str], key_arn: pulumi.Input[str]
) -> dict[str, Any]:
    """The endpoint configuration's `data_capture_config`: requests and responses, encrypted."""
    return {
        "enable_capture": True,
        "initial_sampling_percentage": spec.sampling_percentage,
        "destination_s3_uri": destination,
        "kms_key_id": key_arn,
        "capture_options": [{"capture_mode": "Input"}, {"capture_mode": "Output"}],
        "capture_content_type_header": {"json_content_types": ["application/json"]},
    }
