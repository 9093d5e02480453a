"""The ModelEndpoint component: its exact children, rollout and rollback, alarms and stores."""

from __future__ import annotations

import re
from collections import Counter

import pulumi
import pulumi_aws as aws
import pytest

from mlops_platform.components import AlarmThresholds, DataCaptureSpec, ModelEndpoint, VariantSpec
from tests.components.endpoint_fixtures import (
    ALARM,
    CONFIG,
    ENDPOINT,
    IMAGE,
    MODEL,
    PLACEMENT,
    TAGS,
    blue,
    by_name,
    endpoint,
    endpoint_args,
)
from tests.conftest import RunProgram, policy, statement


def test_two_variants_make_exactly_these_children(run: RunProgram) -> None:
    registry = endpoint(run)
    component = registry.one("mlops:sagemaker:ModelEndpoint", "fraud")
    children = registry.children_of(component)
    assert len(children) == len(registry) - 2  # everything but the stack and the component
    assert Counter(child.type for child in children) == {
        "random:index/randomString:RandomString": 1,
        "aws:kms/key:Key": 1,
        "aws:cloudwatch/logGroup:LogGroup": 1,
        "aws:s3/bucket:Bucket": 1,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
        "aws:s3/bucketVersioning:BucketVersioning": 1,
        "aws:s3/bucketPolicy:BucketPolicy": 1,
        "aws:sagemaker/modelPackageGroup:ModelPackageGroup": 1,
        "aws:sns/topic:Topic": 1,
        "aws:sns/topicPolicy:TopicPolicy": 1,
        ALARM: 2,
        "aws:iam/role:Role": 1,
        "aws:iam/rolePolicy:RolePolicy": 1,
        MODEL: 2,
        CONFIG: 1,
        ENDPOINT: 1,
    }
    assert {child.name for child in children} == {
        "fraud-suffix", "fraud-key", "fraud-logs", "fraud-capture",
        "fraud-capture-public-access", "fraud-capture-ownership", "fraud-capture-encryption",
        "fraud-capture-versioning", "fraud-capture-policy", "fraud-registry",
        "fraud-alarms", "fraud-alarms-policy",
        "fraud-alarm-5xx", "fraud-alarm-latency",
        "fraud-role", "fraud-role-policy", "fraud-blue-model", "fraud-green-model",
        "fraud-config", "fraud-endpoint",
    }  # fmt: skip


def test_endpoint_rolls_out_by_canary_and_rolls_back_on_every_variant_alarm(
    run: RunProgram,
) -> None:
    registry = endpoint(run)
    live = registry.one(ENDPOINT)
    assert re.fullmatch(r"fraud-[a-z0-9]{8}", live.inputs["name"])
    deployment = live.inputs["deploymentConfig"]
    assert deployment["blueGreenUpdatePolicy"] == {
        "trafficRoutingConfiguration": {
            "type": "CANARY",
            "canarySize": {"type": "CAPACITY_PERCENT", "value": 10},
            "waitIntervalInSeconds": 600,
        },
        "terminationWaitInSeconds": 0,
        "maximumExecutionTimeoutInSeconds": 3600,
    }
    rollback = [a["alarmName"] for a in deployment["autoRollbackConfiguration"]["alarms"]]
    alarms = registry.all(ALARM)
    assert sorted(rollback) == sorted(a.inputs["name"] for a in alarms)
    assert {a.urn for a in alarms} <= set(live.dependencies)  # the alarms exist first
    assert live.property_dependencies["endpointConfigName"] == (registry.one(CONFIG).urn,)


def test_two_endpoint_alarms_watch_the_worst_production_variant_and_notify_the_topic(
    run: RunProgram,
) -> None:
    shadow = VariantSpec(
        name="candidate", instance_type="ml.m5.large", shadow=True, image=IMAGE,
        model_data="s3://acme-models/fraud/2.0/model.tar.gz",
    )  # fmt: skip
    thresholds = AlarmThresholds(server_errors_per_minute=2, latency_ms=250)
    registry = endpoint(run, variants=[blue(), shadow], alarms=thresholds)
    name = registry.one(ENDPOINT).inputs["name"]
    topic = registry.one("aws:sns/topic:Topic").state["arn"]
    alarms = by_name(registry, ALARM)
    assert set(alarms) == {"fraud-alarm-5xx", "fraud-alarm-latency"}
    errors, latency = alarms["fraud-alarm-5xx"].inputs, alarms["fraud-alarm-latency"].inputs
    assert (errors["name"], latency["name"]) == (f"{name}-5xx", f"{name}-latency")
    for alarm, metric, stat in (
        (errors, "Invocation5XXErrors", "Sum"),
        (latency, "ModelLatency", "p99"),
    ):
        assert alarm["comparisonOperator"] == "GreaterThanThreshold"
        assert (alarm["evaluationPeriods"], alarm["datapointsToAlarm"]) == (3, 2)
        assert alarm["treatMissingData"] == "notBreaching"
        assert alarm["alarmActions"] == alarm["okActions"] == [topic]
        assert "dimensions" not in alarm
        assert "metricName" not in alarm
        # the shadow variant answers nobody: it rolls nothing back
        assert alarm["metricQueries"] == [
            {
                "id": "v0", "label": "blue", "returnData": False,
                "metric": {
                    "namespace": "AWS/SageMaker", "metricName": metric, "period": 60,
                    "stat": stat, "dimensions": {"EndpointName": name, "VariantName": "blue"},
                },
            },
            {
                "id": "worst", "expression": "MAX([v0])", "returnData": True,
                "label": f"worst production variant: {metric} ({stat})",
            },
        ]  # fmt: skip
    assert (errors["threshold"], latency["threshold"]) == (2, 250_000)


def test_every_store_is_encrypted_with_the_endpoint_key(run: RunProgram) -> None:
    registry = endpoint(run)
    key = registry.one("aws:kms/key:Key")
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["deletionWindowInDays"] == 30
    config = registry.one(CONFIG).inputs
    assert config["kmsKeyArn"] == key.state["arn"]
    assert config["dataCaptureConfig"]["kmsKeyId"] == key.state["arn"]
    sse = registry.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )
    assert sse.inputs["rules"] == [
        {
            "applyServerSideEncryptionByDefault": {
                "sseAlgorithm": "aws:kms",
                "kmsMasterKeyId": key.state["arn"],
            },
            "bucketKeyEnabled": True,
        }
    ]
    logs = registry.one("aws:cloudwatch/logGroup:LogGroup").inputs
    assert logs["kmsKeyId"] == key.state["arn"]
    assert logs["name"] == f"/aws/sagemaker/Endpoints/{registry.one(ENDPOINT).inputs['name']}"
    assert registry.one("aws:sns/topic:Topic").inputs["kmsMasterKeyId"] == key.state["arn"]


def test_capture_bucket_is_versioned_private_owner_enforced_and_tls_only(run: RunProgram) -> None:
    registry = endpoint(run, data_capture=DataCaptureSpec(sampling_percentage=35))
    bucket = registry.one("aws:s3/bucket:Bucket")
    for type_ in (
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketPolicy:BucketPolicy",
    ):
        assert registry.one(type_).property_dependencies["bucket"] == (bucket.urn,)
    block = registry.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    assert all(block[k] is True for k in ("blockPublicAcls", "blockPublicPolicy",
                                          "ignorePublicAcls", "restrictPublicBuckets"))  # fmt: skip
    ownership = registry.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs
    assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    versioning = registry.one("aws:s3/bucketVersioning:BucketVersioning").inputs
    assert versioning["versioningConfiguration"] == {"status": "Enabled"}
    tls = statement(
        policy(registry.one("aws:s3/bucketPolicy:BucketPolicy")), "DenyInsecureTransport"
    )
    assert tls["Effect"] == "Deny"
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert tls["Resource"] == [bucket.state["arn"], f"{bucket.state['arn']}/*"]
    capture = registry.one(CONFIG).inputs["dataCaptureConfig"]
    assert capture["destinationS3Uri"] == f"s3://{bucket.state['bucket']}/data-capture/"
    assert capture["initialSamplingPercentage"] == 35
    assert capture["captureOptions"] == [{"captureMode": "Input"}, {"captureMode": "Output"}]


def test_key_lets_logs_use_it_for_this_group_only_and_alarms_publish(run: RunProgram) -> None:
    registry = endpoint(run)
    document = policy(registry.one("aws:kms/key:Key"))
    group = registry.one("aws:cloudwatch/logGroup:LogGroup").state["arn"]
    logs = statement(document, "CloudWatchLogsEncryptsEndpointLogs")
    assert logs["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert logs["Condition"] == {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": group}}
    alarms = statement(document, "CloudWatchAlarmsPublishEncrypted")
    assert alarms["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert alarms["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"]
    topic = policy(registry.one("aws:sns/topicPolicy:TopicPolicy"))
    publish = statement(topic, "EndpointAlarmsPublish")
    name = registry.one(ENDPOINT).inputs["name"]
    assert publish["Condition"]["ArnLike"] == {
        "aws:SourceArn": f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}*"
    }
    assert statement(topic, "DenyInsecureTransport")["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"}
    }


def test_a_callers_topic_is_used_and_no_topic_or_key_grant_is_made(run: RunProgram) -> None:
    topic = "arn:aws:sns:us-east-1:123456789012:on-call"
    registry = endpoint(run, alarm_topic_arn=topic)
    assert registry.all("aws:sns/topic:Topic") == []
    assert all(a.inputs["alarmActions"] == [topic] for a in registry.all(ALARM))
    sids = {s["Sid"] for s in policy(registry.one("aws:kms/key:Key"))["Statement"]}
    assert sids == {"AccountAdministersKey", "CloudWatchLogsEncryptsEndpointLogs"}


@pytest.mark.parametrize("protect", [True, False])
def test_stores_are_protected_and_superseded_versions_kept(run: RunProgram, protect: bool) -> None:
    registry = endpoint(run, protect_data=protect)
    stores = {"fraud-key", "fraud-logs", "fraud-capture", "fraud-registry"}
    superseded = {"fraud-blue-model", "fraud-green-model", "fraud-config"}
    assert {r.name for r in registry if r.protect} == (stores if protect else set())
    # superseded versions are kept in every environment: a rolled-back endpoint still uses them
    assert {r.name for r in registry if r.retain_on_delete} == (
        stores | superseded if protect else superseded
    )
    assert (
        registry.one("aws:cloudwatch/logGroup:LogGroup").inputs["deletionProtectionEnabled"]
        is protect
    )


def test_capture_and_alarms_off_leave_no_bucket_and_roll_back_on_the_callers_alarms(
    run: RunProgram,
) -> None:
    made: list[ModelEndpoint] = []
    args = endpoint_args(data_capture=None, alarms=None, extra_rollback_alarms=["p99-slo"])
    registry = run(lambda: made.append(ModelEndpoint("fraud", args, PLACEMENT)))
    assert registry.all("aws:s3/bucket:Bucket") == []
    assert registry.all(ALARM) == []
    assert "dataCaptureConfig" not in registry.one(CONFIG).inputs
    deployment = registry.one(ENDPOINT).inputs["deploymentConfig"]
    assert deployment["autoRollbackConfiguration"] == {"alarms": [{"alarmName": "p99-slo"}]}
    role = policy(registry.one("aws:iam/rolePolicy:RolePolicy"))
    assert "WriteOwnDataCapture" not in {s["Sid"] for s in role["Statement"]}
    assert made[0].capture_s3_uri is None  # None values do not travel to the engine
    outputs = registry.outputs(registry.one("mlops:sagemaker:ModelEndpoint"))
    assert "capture_s3_uri" not in outputs
    assert outputs["rollback_alarm_names"] == ["p99-slo"]


def test_outputs_are_registered(run: RunProgram) -> None:
    registry = endpoint(run)
    outputs = registry.outputs(registry.one("mlops:sagemaker:ModelEndpoint"))
    live = registry.one(ENDPOINT)
    models = by_name(registry, MODEL)
    assert outputs["endpoint_name"] == live.inputs["name"]
    assert outputs["endpoint_arn"] == live.state["arn"]
    assert outputs["endpoint_config_name"] == registry.one(CONFIG).state["name"]
    assert outputs["model_names"] == {
        "blue": models["fraud-blue-model"].state["name"],
        "green": models["fraud-green-model"].state["name"],
    }
    assert sorted(outputs["rollback_alarm_names"]) == sorted(
        a.inputs["name"] for a in registry.all(ALARM)
    )
    assert outputs["alarm_topic_arn"] == registry.one("aws:sns/topic:Topic").state["arn"]
    assert outputs["capture_s3_uri"].startswith("s3://fraud-capture-")
    assert outputs["model_package_group_name"] == live.inputs["name"]


def test_an_explicit_provider_and_the_callers_tags_reach_every_child(run: RunProgram) -> None:
    def program() -> None:
        provider = aws.Provider("acct", region="eu-west-1", allowed_account_ids=["444455556666"])
        ModelEndpoint(
            "fraud", endpoint_args(), PLACEMENT, pulumi.ResourceOptions(providers={"aws": provider})
        )

    registry = run(program)
    provider = registry.one("pulumi:providers:aws", "acct")
    children = registry.descendants_of(registry.one("mlops:sagemaker:ModelEndpoint"))
    aws_children = [c for c in children if c.type.startswith("aws:")]
    assert {c.provider for c in aws_children} == {provider.urn}
    assert (
        registry.one("aws:kms/key:Key")
        .state["arn"]
        .startswith("arn:aws:kms:eu-west-1:444455556666:")
    )
    for child in aws_children:
        if "tags" in child.inputs:
            assert child.inputs["tags"].items() >= TAGS.items(), child.name
            assert child.inputs["tags"]["Name"] == child.name
    untagged = {c.type for c in aws_children if "tags" not in c.inputs}
    assert untagged == {  # these types take no tags in AWS
        "aws:iam/rolePolicy:RolePolicy",
        "aws:sns/topicPolicy:TopicPolicy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketPolicy:BucketPolicy",
    }


def test_caller_protection_still_reaches_children_when_data_protection_is_off(
    run: RunProgram,
) -> None:
    args = endpoint_args(protect_data=False)
    registry = run(
        lambda: ModelEndpoint("fraud", args, PLACEMENT, pulumi.ResourceOptions(protect=True))
    )
    assert all(r.protect for r in registry if r.type != "pulumi:pulumi:Stack")
    assert {r.name for r in registry if r.retain_on_delete} == {
        "fraud-blue-model", "fraud-green-model", "fraud-config",
    }  # fmt: skip
