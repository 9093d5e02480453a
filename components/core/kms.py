"""Customer-managed KMS keys: rotated, slow to delete, administered by the account."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext

KEY_DELETION_WINDOW_DAYS = 30
"""The longest window AWS allows: a scheduled deletion can be cancelled for a month."""


def key_policy(context: AwsContext, *grants: dict[str, Any]) -> _iam.PolicyDocument:
    """A key policy where the account administers the key and `grants` let services use it."""
    administer = {
        "Sid": "AccountAdministersKey",
        "Effect": "Allow",
        "Principal": {"AWS": context.account_root},
        "Action": "kms:*",
        "Resource": "*",
    }
    return _iam.document(administer, *grants)


def logs_may_use_key(
    context: AwsContext, *, sid: str, log_group: pulumi.Input[str], exact: bool = True
) -> dict[str, Any]:
    """Key-policy grant: CloudWatch Logs in this region may use the key for one log group.

    `log_group` is the group's name, or with `exact=False` a name pattern (`/mlops/net/*`).
    CloudWatch Logs names the group in the encryption context, so no other group can use the key.
    """
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": pulumi.Output.concat("logs.", context.region, ".amazonaws.com")},
        "Action": [
            "kms:Encrypt*",
            "kms:Decrypt*",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:Describe*",
        ],
        "Resource": "*",
        "Condition": {
            "ArnEquals" if exact else "ArnLike": {
                "kms:EncryptionContext:aws:logs:arn": context.arn(
                    "logs", pulumi.Output.concat("log-group:", log_group)
                )
            }
        },
    }


def encryption_key(
    name: str,
    *,
    description: str,
    policy: _iam.PolicyDocument,
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
) -> aws.kms.Key:
    """Create a symmetric key with yearly rotation and the maximum deletion window."""
    return aws.kms.Key(
        name,
        description=description,
        enable_key_rotation=True,
        deletion_window_in_days=KEY_DELETION_WINDOW_DAYS,
        policy=_iam.to_json(policy),
        tags=dict(tags),
        opts=opts,
    )
