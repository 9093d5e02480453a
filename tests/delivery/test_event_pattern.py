"""The registry rule's pattern, matched by moto's EventBridge: only Approved, only this group."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from mlops_platform.components.delivery.pipeline_spec import approved_package_pattern
from tests.lambdas.registry_trigger.sample_events import package_event


def delivered(events: list[dict[str, object]]) -> list[str]:
    """Put `events` on a bus with the rule; the statuses of those it delivered, in order."""
    with mock_aws():
        sqs = boto3.client("sqs")
        queue = sqs.create_queue(QueueName="matched")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        bridge = boto3.client("events")
        bridge.put_rule(
            Name="approved", EventPattern=json.dumps(approved_package_pattern("fraud-detector"))
        )
        bridge.put_targets(Rule="approved", Targets=[{"Id": "queue", "Arn": queue_arn}])
        entries = [
            {
                "Source": event["source"],
                "DetailType": event["detail-type"],
                "Detail": json.dumps(event["detail"]),
            }
            for event in events
        ]
        assert bridge.put_events(Entries=entries)["FailedEntryCount"] == 0  # type: ignore[arg-type]
        messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    return [json.loads(m["Body"])["detail"]["ModelApprovalStatus"] for m in messages]


@pytest.mark.usefixtures("aws_env")
def test_only_approved_packages_of_the_group_match() -> None:
    events = [
        package_event("Rejected", version=1),
        package_event("PendingManualApproval", version=2),
        package_event("Approved", version=3),
        package_event("Approved", version=1, group="churn-model"),
    ]
    assert delivered(events) == ["Approved"]


def test_pattern_shape() -> None:
    assert approved_package_pattern("fraud-detector") == {
        "source": ["aws.sagemaker"],
        "detail-type": ["SageMaker Model Package State Change"],
        "detail": {
            "ModelPackageGroupName": ["fraud-detector"],
            "ModelApprovalStatus": ["Approved"],
        },
    }
