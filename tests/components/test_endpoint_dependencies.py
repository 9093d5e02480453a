"""Orderings and conditions an endpoint relies on, asserted through the recorded dependencies."""

from __future__ import annotations

import fnmatch

from tests.components.endpoint_fixtures import ALARM, ENDPOINT, endpoint
from tests.conftest import RunProgram, policy, statement

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
KEY = "aws:kms/key:Key"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"


def test_the_endpoint_waits_for_its_encrypted_log_group(run: RunProgram) -> None:
    registry = endpoint(run)
    live, logs, key = registry.one(ENDPOINT), registry.one(LOG_GROUP), registry.one(KEY)
    # SageMaker writes to this exact name, creating an unencrypted group if none exists yet.
    assert logs.inputs["name"] == f"/aws/sagemaker/Endpoints/{live.inputs['name']}"
    assert logs.urn in live.dependencies
    assert logs.inputs["kmsKeyId"] == key.state["arn"]
    assert logs.property_dependencies["kmsKeyId"] == (key.urn,)


def test_the_key_lets_cloudwatch_logs_encrypt_only_that_group(run: RunProgram) -> None:
    registry = endpoint(run)
    grant = statement(policy(registry.one(KEY)), "CloudWatchLogsEncryptsEndpointLogs")
    assert grant["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert grant["Condition"] == {
        "ArnEquals": {"kms:EncryptionContext:aws:logs:arn": registry.one(LOG_GROUP).state["arn"]}
    }


def test_only_this_accounts_alarms_of_this_endpoint_may_publish(run: RunProgram) -> None:
    registry = endpoint(run)
    topic, topic_policy = registry.one(TOPIC), registry.one(TOPIC_POLICY)
    assert topic_policy.inputs["arn"] == topic.state["arn"]
    assert topic_policy.property_dependencies["arn"] == (topic.urn,)
    document = policy(topic_policy)
    publish = statement(document, "EndpointAlarmsPublish")
    assert publish["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert (publish["Action"], publish["Resource"]) == ("sns:Publish", topic.state["arn"])
    assert publish["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}
    (pattern,) = publish["Condition"]["ArnLike"].values()
    alarms = registry.all(ALARM)
    assert alarms
    for alarm in alarms:
        arn = f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{alarm.inputs['name']}"
        assert fnmatch.fnmatchcase(arn, pattern)
        assert alarm.inputs["alarmActions"] == [topic.state["arn"]]
    other_account = "arn:aws:cloudwatch:us-east-1:210987654321:alarm:" + alarms[0].inputs["name"]
    assert not fnmatch.fnmatchcase(other_account, pattern)
    assert statement(document, "DenyInsecureTransport")["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"}
    }


def test_the_rollout_waits_for_every_alarm_it_rolls_back_on(run: RunProgram) -> None:
    registry = endpoint(run)
    live = registry.one(ENDPOINT)
    rollback = live.inputs["deploymentConfig"]["autoRollbackConfiguration"]["alarms"]
    alarms = registry.all(ALARM)
    assert {a["alarmName"] for a in rollback} == {a.inputs["name"] for a in alarms}
    assert {a.urn for a in alarms} <= set(live.property_dependencies["deploymentConfig"])
