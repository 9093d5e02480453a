"""The workflows' key, topic, ledger and coordination table."""

from __future__ import annotations

import pulumi_aws as aws

from mlops_platform.components.core import kms as _kms
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children

LEDGER_PURPOSE = {"mlops:purpose": "ledger"}
"""The tag the policy pack recognises the ledger by."""


def create_key(children: Children, context: AwsContext, log_prefixes: list[str]) -> aws.kms.Key:
    """The key of the tables, the topic and the log groups under `log_prefixes`."""
    grants = [
        _kms.logs_may_use_key(
            context, sid=f"CloudWatchLogsEncrypts{index}", log_group=f"{prefix}*", exact=False
        )
        for index, prefix in enumerate(log_prefixes)
    ]
    return _kms.encryption_key(
        children.name("key"),
        description=f"Workflows of {children.prefix}: ledger, locks, topic and logs",
        policy=_kms.key_policy(context, *grants),
        tags=children.tagged("key"),
        opts=children.stateful_opts(),
    )


def create_topic(children: Children, key: aws.kms.Key) -> aws.sns.Topic:
    """Approvals (with their task token) and outcome notices; subscribe the release owners."""
    return aws.sns.Topic(
        children.name("topic"),
        kms_master_key_id=key.arn,
        tags=children.tagged("topic"),
        opts=children.opts(),
    )


def _encryption(key: aws.kms.Key) -> aws.dynamodb.TableServerSideEncryptionArgsDict:
    return {"enabled": True, "kms_key_arn": key.arn}


def create_ledger(children: Children, key: aws.kms.Key) -> aws.dynamodb.Table:
    """The append-only ledger: `pk` `<env>#<target>`, `sk`, sparse GSI `serving`.

    The stream (NEW_IMAGE) feeds the audit export; PITR is on everywhere, deletion protection
    follows `protect_data`.
    """
    return aws.dynamodb.Table(
        children.name("ledger"),
        billing_mode="PAY_PER_REQUEST",
        hash_key="pk",
        range_key="sk",
        attributes=[
            {"name": name, "type": "S"} for name in ("pk", "sk", "serving_env", "serving_sk")
        ],
        global_secondary_indexes=[
            {
                "name": "serving",
                "hash_key": "serving_env",
                "range_key": "serving_sk",
                "projection_type": "ALL",
            }
        ],
        stream_enabled=True,
        stream_view_type="NEW_IMAGE",
        point_in_time_recovery={"enabled": True},
        deletion_protection_enabled=children.protect_data,
        server_side_encryption=_encryption(key),
        tags={**children.tagged("ledger"), **LEDGER_PURPOSE},
        opts=children.stateful_opts(),
    )


def create_coordination(children: Children, key: aws.kms.Key) -> aws.dynamodb.Table:
    """Promotion locks and incident claims: `pk` only, expiring through TTL `expires_at`."""
    return aws.dynamodb.Table(
        children.name("locks"),
        billing_mode="PAY_PER_REQUEST",
        hash_key="pk",
        attributes=[{"name": "pk", "type": "S"}],
        ttl={"attribute_name": "expires_at", "enabled": True},
        point_in_time_recovery={"enabled": True},
        deletion_protection_enabled=children.protect_data,
        server_side_encryption=_encryption(key),
        tags={**children.tagged("locks"), "mlops:purpose": "coordination"},
        opts=children.stateful_opts(),
    )
