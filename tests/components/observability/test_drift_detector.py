"""The DriftDetector component: the Lambda's settings, its least privilege, and retraining."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pulumi
import pytest

from mlops_platform.components.core import ArgsError
from mlops_platform.components.observability import (
    DriftDetector,
    DriftDetectorArgs,
    DriftFeature,
    LambdaCode,
)
from mlops_platform.testing import Registry
from tests.conftest import RunProgram, policy, statement

TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts"
MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:train"
FEATURES = (DriftFeature(name="amount", column=0), DriftFeature(name="score", source="output"))


def args(**overrides: Any) -> DriftDetectorArgs:
    values: dict[str, Any] = {
        "endpoint_name": "fraud-abc", "capture_bucket": "capture-bucket",
        "capture_key_arn": "arn:aws:kms:us-east-1:123456789012:key/capture",
        "profile_uri": "s3://profiles/fraud/profile.json", "features": FEATURES, **overrides,
    }  # fmt: skip
    return DriftDetectorArgs(**values)


def detect(run: RunProgram, **overrides: Any) -> Registry:
    code = LambdaCode(
        archive=pulumi.AssetArchive({}), sha256="c2hh", ships=("lambdas/drift", "numpy-2.2.6")
    )
    return run(lambda: DriftDetector("drift", args(**overrides), code, TOPIC))


def test_a_notifying_check_makes_exactly_these_children(run: RunProgram) -> None:
    registry = detect(run)
    children = registry.children_of(registry.one("mlops:observability:DriftDetector"))
    assert len(children) == len(registry) - 2
    assert Counter(c.type for c in children) == {
        "aws:kms/key:Key": 1, "aws:cloudwatch/logGroup:LogGroup": 1, "aws:s3/bucket:Bucket": 1,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
        "aws:s3/bucketVersioning:BucketVersioning": 1, "aws:s3/bucketPolicy:BucketPolicy": 1,
        "aws:iam/role:Role": 2, "aws:iam/rolePolicy:RolePolicy": 2,
        "aws:lambda/function:Function": 1, "aws:scheduler/schedule:Schedule": 1,
        "aws:cloudwatch/metricAlarm:MetricAlarm": 1,
    }  # fmt: skip


def test_the_function_gets_the_handlers_environment_and_ships_what_it_says(
    run: RunProgram,
) -> None:
    registry = detect(run)
    function = registry.one("aws:lambda/function:Function").inputs
    env = function["environment"]["variables"]
    assert env["DRIFT_ENDPOINT_NAME"] == "fraud-abc"
    assert env["DRIFT_CAPTURE_BUCKET"] == "capture-bucket"
    assert env["DRIFT_REPORT_BUCKET"] == registry.one("aws:s3/bucket:Bucket").state["bucket"]
    assert json.loads(env["DRIFT_FEATURES"]) == [
        {"column": 0, "name": "amount", "source": "input"},
        {"name": "score", "source": "output"},
    ]
    assert env["DRIFT_KS_D_THRESHOLD"] == "0.1"
    assert function["runtime"] == "python3.12"
    assert function["handler"] == "lambdas.drift.handler.handler"
    assert function["description"].endswith("ships lambdas/drift, numpy-2.2.6")
    assert function["kmsKeyArn"] == registry.one("aws:kms/key:Key").state["arn"]


def test_the_role_reads_only_the_capture_and_profile_and_publishes_only_drift_metrics(
    run: RunProgram,
) -> None:
    registry = detect(run)
    document = policy(registry.one("aws:iam/rolePolicy:RolePolicy", "drift-role-policy"))
    read = statement(document, "ReadCaptureAndProfile")
    assert read["Resource"] == [
        "arn:aws:s3:::capture-bucket/data-capture/*", "arn:aws:s3:::profiles/fraud/profile.json",
    ]  # fmt: skip
    metrics = statement(document, "PublishDriftMetrics")
    assert metrics["Condition"] == {"StringEquals": {"cloudwatch:namespace": "mlops/Drift"}}
    schedule = registry.one("aws:scheduler/schedule:Schedule").inputs
    assert json.loads(schedule["target"]["input"]) == {"time": "<aws.scheduler.scheduled-time>"}


def test_drift_notifies_and_only_retrain_adds_a_rule_that_starts_training(
    run: RunProgram,
) -> None:
    quiet = detect(run)
    alarm = quiet.one("aws:cloudwatch/metricAlarm:MetricAlarm").inputs
    assert (alarm["name"], alarm["alarmActions"]) == ("fraud-abc-drift", [TOPIC])
    assert quiet.all("aws:cloudwatch/eventRule:EventRule") == []
    retrain = detect(run, retrain=True, training_state_machine_arn=MACHINE)
    rule = retrain.one("aws:cloudwatch/eventRule:EventRule").inputs
    pattern = json.loads(rule["eventPattern"])
    assert pattern["detail"] == {"state": {"value": ["ALARM"]}}
    target = retrain.one("aws:cloudwatch/eventTarget:EventTarget").inputs
    assert target["arn"] == MACHINE
    start = policy(retrain.one("aws:iam/rolePolicy:RolePolicy", "drift-retrain-role-policy"))
    assert start["Statement"][0]["Resource"] == MACHINE


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"profile_uri": "profiles/p.json"}, "profile_uri = 'profiles/p.json': must be s3://bucket/key"),
        ({"features": ()}, "features = []: name at least one feature to compare"),
        ({"retrain": True}, "training_state_machine_arn = None: retrain needs the training "
         "workflow's state machine ARN"),
        ({"ks_alpha": 1.5}, "ks_alpha = 1.5: must be between 0 and 1, exclusive"),
        ({"schedule": "hourly"}, "schedule = 'hourly': an EventBridge Scheduler expression: "
         "rate(<n> <unit>) or cron(...)"),
    ],
)  # fmt: skip
def test_bad_settings_are_named(change: dict[str, Any], expected: str) -> None:
    with pytest.raises(ArgsError) as raised:
        args(**change)
    assert [str(p) for p in raised.value.problems] == [expected]
