"""Trust policies name exactly one principal and subject; stage roles get only what they use."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from mlops_platform.components.delivery.access_spec import (
    approver_policy,
    build_role_policy,
    deploy_role_policy,
    deploy_role_trust,
    execution_arns,
    github_environment_trust,
    github_pull_request_trust,
    integration_role_policy,
    pipeline_role_policy,
    quality_check_role_policy,
    registry_trigger_policy,
)

PROVIDER = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
PIPELINE_ROLE = "arn:aws:iam::111111111111:role/fraud-pipeline"
MACHINE = "arn:aws:states:us-east-1:333333333333:stateMachine:promotion"
LOGS = "arn:aws:logs:us-east-1:111111111111:log-group:/codebuild/fraud"
BUCKET = "arn:aws:s3:::fraud-artifacts"
KEY = "arn:aws:kms:us-east-1:111111111111:key/1234"


def parsed(document: dict[str, Any]) -> dict[str, Any]:
    """The document as IAM receives it: JSON text, read back."""
    result: dict[str, Any] = json.loads(json.dumps(document))
    return result


def wildcards(document: dict[str, Any]) -> list[str]:
    text = json.dumps(document)
    return [char for char in "*?" if char in text]


def test_environment_role_trusts_one_repository_environment_exactly() -> None:
    document = parsed(github_environment_trust(PROVIDER, "acme/fraud-model", "prod"))
    (statement,) = document["Statement"]
    assert statement["Principal"] == {"Federated": PROVIDER}
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Condition"] == {
        "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:acme/fraud-model:environment:prod",
        }
    }
    assert wildcards(document) == []


def test_pull_request_role_trusts_pull_requests_only() -> None:
    document = parsed(github_pull_request_trust(PROVIDER, "acme/fraud-model"))
    condition = document["Statement"][0]["Condition"]["StringEquals"]
    assert (
        condition["token.actions.githubusercontent.com:sub"] == "repo:acme/fraud-model:pull_request"
    )
    assert wildcards(document) == []


@pytest.mark.parametrize(
    ("repository", "environment", "message"),
    [
        ("acme/*", "prod", "repository must be an exact name without wildcards, got 'acme/*'"),
        ("acme/fraud", "pr?d", "env must be an exact name without wildcards, got 'pr?d'"),
        ("acme/fraud", "", "env must be an exact name without wildcards, got ''"),
    ],
)
def test_trust_refuses_wildcards(repository: str, environment: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        github_environment_trust(PROVIDER, repository, environment)


def test_deploy_role_trusts_only_the_pipeline_role() -> None:
    (plain,) = parsed(deploy_role_trust(PIPELINE_ROLE))["Statement"]
    assert plain["Principal"] == {"AWS": PIPELINE_ROLE}
    assert "Condition" not in plain
    (pinned,) = parsed(deploy_role_trust(PIPELINE_ROLE, external_id="fraud-7"))["Statement"]
    assert pinned["Condition"] == {"StringEquals": {"sts:ExternalId": "fraud-7"}}
    with pytest.raises(ValueError, match="pipeline_role_arn"):
        deploy_role_trust("*")


def actions(document: dict[str, Any]) -> dict[str, list[str]]:
    return {s["Sid"]: s["Action"] for s in document["Statement"]}


def resources(document: dict[str, Any]) -> set[str]:
    return {r for s in document["Statement"] for r in s["Resource"]}


def test_deploy_role_starts_only_its_workflow_and_reads_only_its_alarm() -> None:
    alarm = "arn:aws:cloudwatch:us-east-1:333333333333:alarm:fraud-detector-errors"
    document = deploy_role_policy(state_machine_arn=MACHINE, alarm_arn=alarm)
    assert actions(document) == {
        "StartWorkflow": ["states:StartExecution"],
        "WatchWorkflow": ["states:DescribeExecution", "states:StopExecution"],
        "ReadAlarm": ["cloudwatch:DescribeAlarms"],
    }
    assert resources(document) == {MACHINE, execution_arns(MACHINE), alarm}
    assert execution_arns(MACHINE) == "arn:aws:states:us-east-1:333333333333:execution:promotion:*"


def test_only_the_registry_login_is_on_every_resource() -> None:
    repository = "arn:aws:ecr:us-east-1:111111111111:repository/fraud"
    document = build_role_policy(
        repository_arn=repository, log_group_arn=LOGS, artifact_bucket_arn=BUCKET, kms_key_arn=KEY
    )
    everywhere = [s["Action"] for s in document["Statement"] if "*" in s["Resource"]]
    assert everywhere == [["ecr:GetAuthorizationToken"]]
    push = next(s for s in document["Statement"] if s["Sid"] == "PushImage")
    assert push["Resource"] == [repository]


def test_pipeline_role_reaches_other_accounts_only_through_deploy_roles() -> None:
    deploy_role = "arn:aws:iam::333333333333:role/deploy"
    document = pipeline_role_policy(
        artifact_bucket_arn=BUCKET,
        kms_key_arn=KEY,
        connection_arn="arn:aws:codestar-connections:us-east-1:111111111111:connection/abcd",
        codebuild_project_arns=["arn:aws:codebuild:us-east-1:111111111111:project/fraud-build"],
        approval_topic_arns=["arn:aws:sns:us-east-1:111111111111:fraud-approvals"],
        deploy_role_arns=[deploy_role],
    )
    assert actions(document)["DeployRoles"] == ["sts:AssumeRole"]
    assert "StartWorkflow" not in actions(document)
    assert not any("333333333333" in r for r in resources(document) - {deploy_role})


def test_test_and_integration_roles_are_read_only_on_artifacts() -> None:
    quality = quality_check_role_policy(
        log_group_arn=LOGS,
        artifact_bucket_arn=BUCKET,
        kms_key_arn=KEY,
        model_package_group="arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud",
    )
    integration = integration_role_policy(
        log_group_arn=LOGS,
        artifact_bucket_arn=BUCKET,
        kms_key_arn=KEY,
        endpoint_arn="arn:aws:sagemaker:us-east-1:222222222222:endpoint/fraud-staging",
    )
    for document in (quality, integration):
        granted = {a for s in document["Statement"] for a in s["Action"]}
        assert not {"s3:PutObject", "kms:GenerateDataKey"} & granted
    assert actions(integration)["Invoke"] == ["sagemaker:InvokeEndpoint"]
    read = next(s for s in quality["Statement"] if s["Sid"] == "ReadPackage")
    assert read["Resource"] == ["arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud/*"]


def test_an_approver_may_answer_only_the_prod_approval() -> None:
    pipeline = "arn:aws:codepipeline:us-east-1:111111111111:fraud-detector"
    document = approver_policy(pipeline_arn=pipeline, stage="prod")
    assert actions(document)["Approve"] == ["codepipeline:PutApprovalResult"]
    approve = next(s for s in document["Statement"] if s["Sid"] == "Approve")
    assert approve["Resource"] == [f"{pipeline}/prod/Approve"]
    assert wildcards(document) == []


def test_the_registry_trigger_starts_only_its_pipeline() -> None:
    pipeline = "arn:aws:codepipeline:us-east-1:111111111111:fraud-detector"
    table = "arn:aws:dynamodb:us-east-1:111111111111:table/fraud-triggers"
    packages = "arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detector/*"
    document = registry_trigger_policy(
        pipeline_arn=pipeline, table_arn=table, log_group_arn=LOGS, packages_arn=packages
    )
    assert actions(document)["StartPipeline"] == ["codepipeline:StartPipelineExecution"]
    assert actions(document)["ReadPackage"] == ["sagemaker:DescribeModelPackage"]
    assert resources(document) == {pipeline, table, LOGS, f"{LOGS}:log-stream:*", packages}


def test_the_quality_check_reads_only_the_statistics_it_is_given() -> None:
    statistics = "arn:aws:s3:::fraud-models/quality/*"
    document = quality_check_role_policy(
        log_group_arn=LOGS,
        artifact_bucket_arn=BUCKET,
        kms_key_arn=KEY,
        model_package_group="arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud",
        statistics_object_arns=[statistics],
    )
    read = next(s for s in document["Statement"] if s["Sid"] == "ReadStatistics")
    assert (read["Action"], read["Resource"]) == (["s3:GetObject"], [statistics])
