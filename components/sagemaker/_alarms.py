"""The alarms a rollout rolls back on, and the topic they notify.

`alarm_set` decides the alarms as plain values; `create_alarms` and `create_topic` build them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.sagemaker.alarm_rules import (
    NAMESPACE,
    PERIOD_SECONDS,
    AlarmDefinition,
)


def create_alarms(
    children: Children,
    definitions: Sequence[AlarmDefinition],
    *,
    endpoint_name: pulumi.Input[str],
    topic_arn: pulumi.Input[str],
) -> list[aws.cloudwatch.MetricAlarm]:
    """One CloudWatch alarm per definition, on the endpoint's variant, notifying the topic.

    Alarm names derive from the endpoint's name, which is known before the endpoint exists:
    the alarms are created first, so the endpoint's rollback configuration can name them.
    """
    alarms = []
    for definition in definitions:
        suffix = f"alarm-{definition.suffix}"
        alarms.append(
            aws.cloudwatch.MetricAlarm(
                children.name(suffix),
                name=pulumi.Output.concat(endpoint_name, "-", definition.suffix),
                alarm_description=definition.description,
                namespace=NAMESPACE,
                metric_name=definition.metric_name,
                dimensions={"EndpointName": endpoint_name, "VariantName": definition.variant},
                statistic=definition.statistic,
                extended_statistic=definition.extended_statistic,
                period=PERIOD_SECONDS,
                evaluation_periods=definition.evaluation_periods,
                datapoints_to_alarm=definition.datapoints_to_alarm,
                threshold=definition.threshold,
                comparison_operator="GreaterThanThreshold",
                # No traffic is not a failure: a quiet variant must not roll a rollout back.
                treat_missing_data="notBreaching",
                alarm_actions=[topic_arn],
                ok_actions=[topic_arn],
                tags=children.tagged(suffix),
                opts=children.opts(),
            )
        )
    return alarms


def cloudwatch_may_use_key() -> dict[str, Any]:
    """Key-policy grant: CloudWatch may encrypt the notifications it publishes to the topic."""
    return {
        "Sid": "CloudWatchAlarmsPublishEncrypted",
        "Effect": "Allow",
        "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
        "Resource": "*",
    }


def create_topic(
    children: Children, context: AwsContext, *, key: aws.kms.Key, alarm_prefix: pulumi.Input[str]
) -> aws.sns.Topic:
    """An SNS topic encrypted with `key`, that this account's alarms may publish to over TLS."""
    topic = aws.sns.Topic(
        children.name("alarms"),
        kms_master_key_id=key.arn,
        tags=children.tagged("alarms"),
        opts=children.opts(),
    )
    alarm_arns = pulumi.Output.concat(
        "arn:", context.partition, ":cloudwatch:", context.region, ":", context.account_id,
        ":alarm:", alarm_prefix, "*",
    )  # fmt: skip
    policy = _iam.document(
        {
            "Sid": "EndpointAlarmsPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic.arn,
            "Condition": {
                "ArnLike": {"aws:SourceArn": alarm_arns},
                "StringEquals": {"aws:SourceAccount": context.account_id},
            },
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
        children.name("alarms-policy"),
        arn=topic.arn,
        policy=_iam.to_json(policy),
        opts=children.opts(),
    )
    return topic
