"""The environment's encrypted alerting topic, and its subscriptions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core import kms as _kms
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.observability.alarms import subscription_specs

PUBLISHERS = ("cloudwatch.amazonaws.com", "events.amazonaws.com")
"""Services that publish to the topic: alarms, and EventBridge rules (drift notifications)."""


def _publishers_use_key() -> dict[str, Any]:
    return {
        "Sid": "AlarmsAndRulesPublishEncrypted",
        "Effect": "Allow",
        "Principal": {"Service": list(PUBLISHERS)},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
        "Resource": "*",
    }


def create_topic(children: Children, context: AwsContext) -> tuple[aws.sns.Topic, aws.kms.Key]:
    """A KMS-encrypted topic that this account's alarms and rules may publish to over TLS."""
    key = _kms.encryption_key(
        children.name("alerts-key"),
        description=f"Encrypts the alerting topic of {children.prefix}",
        policy=_kms.key_policy(context, _publishers_use_key()),
        tags=children.tagged("alerts-key"),
        opts=children.stateful_opts(),
    )
    topic = aws.sns.Topic(
        children.name("alerts"),
        kms_master_key_id=key.arn,
        tags=children.tagged("alerts"),
        opts=children.opts(),
    )
    policy = _iam.document(
        {
            "Sid": "AccountAlarmsAndRulesPublish",
            "Effect": "Allow",
            "Principal": {"Service": list(PUBLISHERS)},
            "Action": "sns:Publish",
            "Resource": topic.arn,
            "Condition": {"StringEquals": {"aws:SourceAccount": context.account_id}},
        },
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "sns:Publish",
            "Resource": topic.arn,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
    )
    aws.sns.TopicPolicy(
        children.name("alerts-policy"),
        arn=topic.arn,
        policy=_iam.to_json(policy),
        opts=children.opts(),
    )
    return topic, key


def create_subscriptions(
    children: Children, topic: aws.sns.Topic, subscriptions: Sequence[Mapping[str, str]]
) -> list[aws.sns.TopicSubscription]:
    """One subscription per config entry, named `<component>-alerts-<protocol>-<index>`."""
    specs = subscription_specs("__topic__", subscriptions)
    return [
        aws.sns.TopicSubscription(
            children.name(f"alerts-{key}"),
            **{**spec, "topic": topic.arn},
            opts=children.opts(),
        )
        for key, spec in specs.items()
    ]
