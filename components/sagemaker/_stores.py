"""Where an endpoint keeps data: its KMS key, its log group and its data-capture bucket.

Every store is encrypted with the endpoint's key, and protected and kept on delete when the
endpoint protects its data.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import kms as _kms
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.buckets import private_bucket
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
    return private_bucket(children, "capture", key=key)


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
