from __future__ import annotations

import json
from typing import Any

from mlops_platform.policies.sns.topic_no_public_policy import POLICY
from tests.policies.harness import check_resource

TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
CLOUDWATCH = {
    "Sid": "CloudWatchPublishes",
    "Effect": "Allow",
    "Principal": {"Service": "cloudwatch.amazonaws.com"},
    "Action": "sns:Publish",
    "Resource": "arn:aws:sns:us-east-1:123456789012:alerts",
}


def topic_policy(statement: dict[str, Any]) -> dict[str, Any]:
    return {
        "arn": "arn:aws:sns:us-east-1:123456789012:alerts",
        "policy": json.dumps({"Statement": [statement]}),
    }


def test_a_service_principal_passes() -> None:
    assert check_resource(POLICY, TOPIC_POLICY, topic_policy(CLOUDWATCH)) == []


def test_anyone_without_a_condition() -> None:
    assert check_resource(POLICY, TOPIC_POLICY, topic_policy({**CLOUDWATCH, "Principal": "*"})) == [
        "topic policy statement 'CloudWatchPublishes' lets any principal act on the topic; add "
        "an aws:SourceAccount or aws:SourceArn condition"
    ]


def test_anyone_pinned_by_source_account_passes() -> None:
    statement = {
        **CLOUDWATCH,
        "Principal": {"AWS": "*"},
        "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
    }
    assert check_resource(POLICY, TOPIC_POLICY, topic_policy(statement)) == []


def test_inline_topic_policies_are_checked() -> None:
    props = {"policy": json.dumps({"Statement": [{**CLOUDWATCH, "Principal": "*"}]})}
    assert len(check_resource(POLICY, "aws:sns/topic:Topic", props)) == 1
