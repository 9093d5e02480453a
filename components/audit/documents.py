"""The audit trail's documents and settings as plain values: policies, selectors, Object Lock.

Every function takes plain strings (ARNs, names) and returns a dict ready for
`pulumi.Output.json_dumps` or for a resource's arguments. The component resolves the Outputs
first (`Output.all(...).apply(...)`), then calls these.

The trail's ARN appears in the bucket and key policies, and CloudTrail checks both when the
trail is created: build it with `trail_arn` from the trail's explicit name, not from the
trail's output, or the policies and the trail wait on each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mlops_platform.components.audit.args import check_retention

CLOUDTRAIL = "cloudtrail.amazonaws.com"
VERSION = "2012-10-17"


_KEY_ADMIN_ACTIONS = tuple(
    f"kms:{action}"
    for action in [
        "CancelKeyDeletion",
        "Create*",
        "Delete*",
        "Describe*",
        "Disable*",
        "Enable*",
        "Get*",
        "List*",
        "Put*",
        "Revoke*",
        "ScheduleKeyDeletion",
        "TagResource",
        "UntagResource",
        "Update*",
    ]
)
"""What the account may do to the key through IAM: manage it, never use it to decrypt."""


def trail_arn(partition: str, region: str, account_id: str, trail_name: str) -> str:
    """The ARN a trail named `trail_name` will have, known before the trail exists."""
    return f"arn:{partition}:cloudtrail:{region}:{account_id}:trail/{trail_name}"


def _partition(arn: str) -> str:
    return arn.split(":", 2)[1]


def _allow(
    sid: str, principal: Any, action: Any, resource: Any = "*", condition: Any = None
) -> dict[str, Any]:
    statement = {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": principal,
        "Action": action,
        "Resource": resource,
    }
    return {**statement, "Condition": condition} if condition else statement


def audit_bucket_policy(*, bucket_arn: str, trail: str, account_id: str) -> dict[str, Any]:
    """The audit bucket's policy: TLS only, and CloudTrail admitted for this one trail.

    Args:
        bucket_arn: The audit bucket's ARN.
        trail: The trail's ARN (from `trail_arn`); CloudTrail is admitted only on its behalf.
        account_id: The account whose `AWSLogs/<account>/` prefix the trail writes under.
    """
    source = {"aws:SourceArn": trail}
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket_arn, f"{bucket_arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            _allow(
                "CloudTrailAclCheck",
                {"Service": CLOUDTRAIL},
                "s3:GetBucketAcl",
                bucket_arn,
                {"StringEquals": source},
            ),
            _allow(
                "CloudTrailWrite",
                {"Service": CLOUDTRAIL},
                "s3:PutObject",
                f"{bucket_arn}/AWSLogs/{account_id}/*",
                {"StringEquals": {**source, "s3:x-amz-acl": "bucket-owner-full-control"}},
            ),
        ],
    }


def trail_key_policy(
    *,
    account_id: str,
    region: str,
    trail: str,
    reader_arns: Sequence[str],
    log_group_arn: str,
) -> dict[str, Any]:
    """The trail key's policy: the account manages it, CloudTrail encrypts, readers decrypt.

    The account root is granted key management only, so no IAM policy can grant decryption;
    only `reader_arns` may decrypt log files, and CloudWatch Logs may use the key for the
    trail's log group alone.

    Args:
        account_id: The account that owns the key.
        region: The key's region, which names the CloudWatch Logs service principal.
        trail: The trail's ARN (from `trail_arn`).
        reader_arns: IAM roles or users that may read the log files; none leaves no reader.
        log_group_arn: The trail's log group ARN, with or without the trailing `:*`.
    """
    partition = _partition(trail)
    statements = [
        _allow(
            "AccountManagesKey",
            {"AWS": f"arn:{partition}:iam::{account_id}:root"},
            list(_KEY_ADMIN_ACTIONS),
        ),
        *_cloudtrail_key_statements(trail),
        _logs_key_statement(region, log_group_arn.removesuffix(":*")),
    ]
    if reader_arns:
        statements.append(
            _allow(
                "NamedReadersDecryptLogFiles",
                {"AWS": sorted(reader_arns)},
                "kms:Decrypt",
                condition={"Null": {"kms:EncryptionContext:aws:cloudtrail:arn": "false"}},
            )
        )
    return {"Version": VERSION, "Statement": statements}


def _cloudtrail_key_statements(trail: str) -> list[dict[str, Any]]:
    """CloudTrail may create data keys and describe the key, for this trail only."""
    context = {"aws:SourceArn": trail, "kms:EncryptionContext:aws:cloudtrail:arn": trail}
    service = {"Service": CLOUDTRAIL}
    return [
        _allow(
            "CloudTrailEncrypts",
            service,
            "kms:GenerateDataKey*",
            condition={"StringEquals": context},
        ),
        _allow(
            "CloudTrailDescribesKey",
            service,
            "kms:DescribeKey",
            condition={"StringEquals": {"aws:SourceArn": trail}},
        ),
    ]


def _logs_key_statement(region: str, group: str) -> dict[str, Any]:
    """CloudWatch Logs may use the key for the trail's log group and no other."""
    return {
        "Sid": "CloudWatchLogsUsesKeyForTrailGroup",
        "Effect": "Allow",
        "Principal": {"Service": f"logs.{region}.amazonaws.com"},
        "Action": [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:DescribeKey",
        ],
        "Resource": "*",
        "Condition": {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": group}},
    }


def log_role_trust(trail: str) -> dict[str, Any]:
    """Trust of the role CloudTrail assumes to deliver to CloudWatch Logs, for this trail only."""
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceArn": trail}},
            }
        ],
    }


def log_role_policy(log_group_arn: str) -> dict[str, Any]:
    """What that role may do: create streams and put events in the trail's log group only."""
    group = log_group_arn.removesuffix(":*")
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Sid": "DeliverToTrailLogGroup",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": f"{group}:log-stream:*",
            }
        ],
    }


def event_selectors(data_bucket_arns: Sequence[str]) -> list[dict[str, Any]]:
    """Advanced event selectors: every management event, and S3 object events on the buckets.

    Returns `advanced_event_selectors` for `aws.cloudtrail.Trail` (snake_case inputs).
    Without buckets, only management events are selected.
    """
    selectors: list[dict[str, Any]] = [
        {
            "name": "All management events",
            "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}],
        }
    ]
    if data_bucket_arns:
        selectors.append(
            {
                "name": "S3 object events on model, capture and artifact buckets",
                "field_selectors": [
                    {"field": "eventCategory", "equals": ["Data"]},
                    {"field": "resources.type", "equals": ["AWS::S3::Object"]},
                    {
                        "field": "resources.ARN",
                        "starts_withs": [f"{arn}/" for arn in sorted(set(data_bucket_arns))],
                    },
                ],
            }
        )
    return selectors


def lock_mode(environment: str) -> str:
    """The Object Lock mode of an environment: COMPLIANCE in prod, GOVERNANCE elsewhere."""
    return "COMPLIANCE" if environment == "prod" else "GOVERNANCE"


def object_lock_settings(
    environment: str, retention_days: int, mode: str | None = None
) -> dict[str, Any]:
    """`aws.s3.BucketObjectLockConfiguration` inputs (besides `bucket`) for the audit bucket.

    The bucket itself must be created with `object_lock_enabled=True`. `mode` defaults to the
    environment's (`lock_mode`).

    Raises:
        ValueError: `retention_days` is outside what `check_audit` allows for `environment`.
    """
    mode = mode or lock_mode(environment)
    problems = check_retention(environment, retention_days)
    if problems:
        raise ValueError("; ".join(str(problem) for problem in problems))
    return {
        "object_lock_enabled": "Enabled",
        "rule": {"default_retention": {"mode": mode, "days": retention_days}},
    }
