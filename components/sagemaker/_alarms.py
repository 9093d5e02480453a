"""The alarms a rollout rolls back on, and the topic they notify.

`alarm_set` decides the alarms as plain values; `create_alarms` and `create_topic` build them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.sagemaker.alarm_rules import AlarmDefinition


def create_alarms(
    children: Children,
    definitions: Sequence[AlarmDefinition],
    *,
    endpoint_name: pulumi.Input[str],
    topic_arn: pulumi.Input[str],
) -> list[aws.cloudwatch.MetricAlarm]:
    """One CloudWatch alarm per definition, over the endpoint's production variants.

    Alarm names derive from the endpoint's name and the alarm's purpose only, and are known
    before the endpoint exists: the alarms are created first, so the endpoint's rollback
    configuration can name them, and that configuration never changes with the variants.
    """
    alarms = []
    for definition in definitions:
        suffix = f"alarm-{definition.suffix}"
        alarms.append(
            aws.cloudwatch.MetricAlarm(
                children.name(suffix),
                name=pulumi.Output.concat(endpoint_name, "-", definition.suffix),
                alarm_description=definition.description,
                metric_queries=_queries(definition, endpoint_name),
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


def _queries(
    definition: AlarmDefinition, endpoint_name: pulumi.Input[str]
) -> list[aws.cloudwatch.MetricAlarmMetricQueryArgsDict]:
    """The definition's queries, each variant's metric scoped to this endpoint."""
    queries = []
    for plain in definition.queries():
        query = dict(plain)
        metric = cast("dict[str, Any] | None", plain.get("metric"))
        if metric is not None:
            dimensions = {"EndpointName": endpoint_name, **metric["dimensions"]}
            query["metric"] = {**metric, "dimensions": dimensions}
        queries.append(cast("aws.cloudwatch.MetricAlarmMetricQueryArgsDict", query))
    return queries


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
