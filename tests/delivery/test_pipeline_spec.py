"""The pipeline of one model: stage order, approval before prod, rollback tied to the alarm."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import boto3
import botocore.session
import pytest
from moto import mock_aws

from mlops_platform.components.delivery.deploy_input import action_input, approval_record
from mlops_platform.components.delivery.pipeline_spec import deploy_target, pipeline_declaration
from tests.delivery.layouts import ACCOUNT, DEV, PROD, ROLE, SPEC


def stage(declaration: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in declaration["stages"] if s["name"] == name)
    return found


def kinds(stage_: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [
        (a["runOrder"], a["actionTypeId"]["category"], a["actionTypeId"]["provider"])
        for a in stage_["actions"]
    ]


def test_stages_run_in_promotion_order() -> None:
    declaration = pipeline_declaration(SPEC)
    assert [s["name"] for s in declaration["stages"]] == [
        "Source",
        "Build",
        "Test",
        "staging",
        "prod",
    ]
    assert declaration["pipelineType"] == "V2"
    assert declaration["artifactStore"]["encryptionKey"] == {
        "id": SPEC.kms_key_arn,
        "type": "KMS",
    }


def test_source_is_the_connection_and_pushes_to_the_branch() -> None:
    declaration = pipeline_declaration(SPEC)
    source = stage(declaration, "Source")["actions"][0]
    assert source["actionTypeId"]["provider"] == "CodeStarSourceConnection"
    assert source["configuration"]["FullRepositoryId"] == "acme/fraud-model"
    assert source["configuration"]["DetectChanges"] == "false"
    assert declaration["triggers"] == [
        {
            "providerType": "CodeStarSourceConnection",
            "gitConfiguration": {
                "sourceActionName": "Source",
                "push": [{"branches": {"includes": ["main"]}}],
            },
        }
    ]
    assert declaration["variables"][0]["name"] == "PackageArn"
    assert declaration["variables"][0]["defaultValue"] == "current"


def test_build_and_test_get_the_package_variable() -> None:
    declaration = pipeline_declaration(SPEC)
    for name in ("Build", "Test"):
        action = stage(declaration, name)["actions"][0]
        env = json.loads(action["configuration"]["EnvironmentVariables"])
        assert {
            "name": "PACKAGE_ARN",
            "value": "#{variables.PackageArn}",
            "type": "PLAINTEXT",
        } in env
    assert stage(declaration, "Build")["actions"][0]["namespace"] == "BuildVariables"


def test_prod_approves_then_deploys_through_the_workflow() -> None:
    prod = stage(pipeline_declaration(SPEC), "prod")
    assert kinds(prod) == [(1, "Approval", "Manual"), (2, "Invoke", "StepFunctions")]
    approve, deploy = prod["actions"]
    assert approve["configuration"]["NotificationArn"] == PROD.approval_topic_arn
    assert deploy["configuration"]["StateMachineArn"] == PROD.state_machine_arn
    assert deploy["roleArn"] == PROD.action_role_arn
    assert deploy["region"] == "us-east-1"


def test_prod_rolls_back_on_its_alarm() -> None:
    prod = stage(pipeline_declaration(SPEC), "prod")
    rule = {
        "name": "AlarmAfterDeploy",
        "ruleTypeId": {
            "category": "Rule",
            "owner": "AWS",
            "provider": "CloudWatchAlarm",
            "version": "1",
        },
        "configuration": {
            "AlarmName": "fraud-detector-errors",
            "AlarmStates": "ALARM",
            "WaitTime": "45",
        },
        "roleArn": PROD.action_role_arn,
        "region": "us-east-1",
    }
    assert prod["onSuccess"] == {"conditions": [{"result": "ROLLBACK", "rules": [rule]}]}
    assert prod["onFailure"] == {"result": "ROLLBACK"}
    entry = prod["beforeEntry"]["conditions"][0]
    assert entry["result"] == "FAIL"
    assert entry["rules"][0]["configuration"] == {
        "AlarmName": "fraud-detector-errors",
        "AlarmStates": "ALARM",
    }


def test_staging_deploys_then_tests_without_approval_or_conditions() -> None:
    staging = stage(pipeline_declaration(SPEC), "staging")
    assert kinds(staging) == [(2, "Invoke", "StepFunctions"), (3, "Test", "CodeBuild")]
    assert not {"beforeEntry", "onSuccess", "onFailure"} & set(staging)
    env = json.loads(staging["actions"][1]["configuration"]["EnvironmentVariables"])
    assert {"name": "TARGET", "value": "fraud-detector", "type": "PLAINTEXT"} in env


def test_dev_deploys_without_approval() -> None:
    dev = stage(pipeline_declaration(DEV), "dev")
    assert kinds(dev) == [(2, "Invoke", "StepFunctions")]
    assert "roleArn" not in dev["actions"][0]


def test_the_deploy_action_sends_the_rendered_workflow_input() -> None:
    deploy = stage(pipeline_declaration(SPEC), "prod")["actions"][1]
    assert deploy["configuration"]["Input"] == action_input("fraud-detector", deploy_target(PROD))
    assert deploy["configuration"]["InputType"] == "Literal"


def test_approval_record_reads_approver_and_comment() -> None:
    when = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    details = [
        {"stageName": "staging", "actionName": "Deploy", "status": "Succeeded"},
        {
            "stageName": "prod",
            "actionName": "Approve",
            "status": "Succeeded",
            "updatedBy": "arn:aws:sts::111111111111:assumed-role/releaser/ana",
            "lastUpdateTime": when,
            "output": {"executionResult": {"externalExecutionSummary": "metrics look good"}},
        },
    ]
    assert approval_record(details, "prod") == {
        "approver": "arn:aws:sts::111111111111:assumed-role/releaser/ana",
        "comment": "metrics look good",
        "approved_at": "2026-12-01T12:00:00+00:00",
    }
    assert approval_record([{**details[1], "status": "InProgress"}], "prod") is None
    assert approval_record(details, "staging") is None


@pytest.mark.usefixtures("aws_env")
def test_codepipeline_accepts_the_declaration(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore checks the request against the CodePipeline API model, conditions included."""
    monkeypatch.setenv("MOTO_ACCOUNT_ID", ACCOUNT)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "codepipeline.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    with mock_aws():
        boto3.client("iam").create_role(
            RoleName="fraud-pipeline", AssumeRolePolicyDocument=json.dumps(trust)
        )
        client = boto3.client("codepipeline")
        client.create_pipeline(pipeline=pipeline_declaration(SPEC))  # type: ignore[arg-type]
        stored = client.get_pipeline(name="fraud-detector")["pipeline"]
    assert stored["roleArn"] == ROLE
    assert [s["name"] for s in stored["stages"]] == ["Source", "Build", "Test", "staging", "prod"]


def test_configuration_values_fit_codepipeline_limits() -> None:
    """botocore checks no maximum length, so compare with the API model's; names <= 80."""
    limit = botocore.session.get_session().get_service_model("codepipeline")
    value_shape = limit.shape_for("ActionConfigurationValue").metadata
    declaration = pipeline_declaration(SPEC)
    values = [
        value
        for stage_ in declaration["stages"]
        for action in stage_["actions"]
        for value in action["configuration"].values()
    ]
    assert value_shape["min"] <= min(len(value) for value in values)
    assert max(len(value) for value in values) <= value_shape["max"] == 1000
    prefix = stage(declaration, "prod")["actions"][1]["configuration"]["ExecutionNamePrefix"]
    assert len(f"{prefix}-{'0' * 36}") <= 80
