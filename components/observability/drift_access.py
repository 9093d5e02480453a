"""What the drift check's roles may do, as plain documents (values resolved by the caller)."""

from __future__ import annotations

from typing import Any

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.observability.dashboards import DRIFT

REPORT_PREFIX = "drift-reports"


def split_s3_uri(uri: str) -> tuple[str, str]:
    """(bucket, key) of `s3://bucket/key`."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def function_policy(
    *,
    partition: str,
    capture_bucket: str,
    capture_prefix: str,
    profile_uri: str,
    report_bucket_arn: str,
    log_group_arn: str,
    key_arn: str,
    capture_key_arn: str | None,
) -> dict[str, Any]:
    """Read the capture window and the profile, write reports, metrics and logs; nothing else."""
    s3 = f"arn:{partition}:s3:::"
    profile_bucket, profile_key = split_s3_uri(profile_uri)
    prefix = capture_prefix.strip("/")
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ListCaptureWindow",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": f"{s3}{capture_bucket}",
            "Condition": {"StringLike": {"s3:prefix": [f"{prefix}/*" if prefix else "*"]}},
        },
        {
            "Sid": "ReadCaptureAndProfile",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": [
                f"{s3}{capture_bucket}/{prefix + '/' if prefix else ''}*",
                f"{s3}{profile_bucket}/{profile_key}",
            ],
        },
        {
            "Sid": "WriteReports",
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": f"{report_bucket_arn}/{REPORT_PREFIX}/*",
        },
        {
            "Sid": "PublishDriftMetrics",
            "Effect": "Allow",
            "Action": "cloudwatch:PutMetricData",
            "Resource": "*",
            "Condition": {"StringEquals": {"cloudwatch:namespace": DRIFT}},
        },
        {
            "Sid": "WriteOwnLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"{log_group_arn.removesuffix(':*')}:log-stream:*",
        },
        {
            "Sid": "UseOwnKey",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": key_arn,
        },
    ]
    if capture_key_arn:
        statements.append(
            {
                "Sid": "DecryptCapture",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": capture_key_arn,
            }
        )
    return _iam.document(*statements)


def invoke_policy(function_arn: str) -> dict[str, Any]:
    """The schedule's role may invoke this one function."""
    return _iam.document(
        {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": function_arn}
    )


def start_policy(state_machine_arn: str) -> dict[str, Any]:
    """The drift rule's role may start this one workflow."""
    return _iam.document(
        {"Effect": "Allow", "Action": "states:StartExecution", "Resource": state_machine_arn}
    )


def alarm_pattern(alarm_arn: str) -> dict[str, Any]:
    """EventBridge pattern: this alarm entered ALARM."""
    return {
        "source": ["aws.cloudwatch"],
        "detail-type": ["CloudWatch Alarm State Change"],
        "resources": [alarm_arn],
        "detail": {"state": {"value": ["ALARM"]}},
    }


def retrain_input_template(endpoint_name: str) -> str:
    """The training workflow's input: why it starts, for which endpoint, and when."""
    return (
        '{"reason": "drift", "endpoint": "' + endpoint_name + '", '
        '"alarm": "<alarm>", "time": "<time>"}'
    )
