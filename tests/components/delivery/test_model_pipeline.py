"""ModelPipeline: its exact children, the security of each, the pipeline's layout, bad input."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from typing import Any

import pytest

from mlops_platform.components.core import ArgsError
from mlops_platform.components.delivery import ModelPipeline
from mlops_platform.lambdas.intake.handler import handler as intake
from mlops_platform.testing import Registry, run_program
from tests.components.delivery.pipeline_fixtures import (
    ALARM,
    ALARM_ARN,
    APPROVER,
    ENDPOINT,
    MACHINE,
    PLACEMENT,
    PROD_STAGE,
    STACK_ROLE,
    build,
    dev_args,
    prod_args,
)
from tests.conftest import RunProgram, policy, statement
from tests.delivery.pipeline_runs import resolve

PIPELINE = "aws:codepipeline/pipeline:Pipeline"
PROJECT = "aws:codebuild/project:Project"


@pytest.fixture(scope="module")
def prod() -> Registry:
    return run_program(lambda: build(prod_args()))


def projects(registry: Registry) -> dict[str, dict[str, Any]]:
    return {r.name: r.inputs for r in registry.all(PROJECT)}


def stage(registry: Registry, name: str) -> dict[str, Any]:
    return next(s for s in registry.one(PIPELINE).inputs["stages"] if s["name"] == name)


def test_a_prod_pipeline_has_exactly_these_children(prod: Registry) -> None:
    component = prod.one("mlops:delivery:ModelPipeline", "prod-fraud")
    children = prod.children_of(component)
    assert len(children) == len(prod) - 2
    assert Counter(c.type.rsplit(":", 1)[-1] for c in children) == {
        "Key": 1, "Bucket": 1, "BucketPublicAccessBlock": 1, "BucketOwnershipControls": 1,
        "BucketServerSideEncryptionConfiguration": 1, "BucketVersioning": 1, "BucketPolicy": 1,
        "LogGroup": 2, "Repository": 1, "LifecyclePolicy": 1, "Connection": 1, "Topic": 1,
        "TopicSubscription": 1, "Project": 4, "Role": 7, "RolePolicy": 6, "Pipeline": 1,
        "Table": 1, "Queue": 1, "Function": 1, "Permission": 1, "EventRule": 1,
        "EventTarget": 1, "Policy": 1, "RolePolicyAttachment": 1,
    }  # fmt: skip
    assert set(projects(prod)) == {
        "prod-fraud-build", "prod-fraud-test", "prod-fraud-integration-prod",
        "prod-fraud-deploy-prod",
    }  # fmt: skip


def test_the_image_repository_is_immutable_scanned_and_encrypted(prod: Registry) -> None:
    repository = prod.one("aws:ecr/repository:Repository").inputs
    key = prod.one("aws:kms/key:Key").state["arn"]
    assert repository["imageTagMutability"] == "IMMUTABLE"
    assert repository["imageScanningConfiguration"] == {"scanOnPush": True}
    assert repository["encryptionConfigurations"] == [{"encryptionType": "KMS", "kmsKey": key}]
    rules = json.loads(prod.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs["policy"])
    assert [r["selection"]["tagStatus"] for r in rules["rules"]] == ["untagged", "any"]


def test_the_artifacts_bucket_is_versioned_encrypted_private_and_tls_only(prod: Registry) -> None:
    key = prod.one("aws:kms/key:Key").state["arn"]
    encryption = prod.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs["rules"][0]["applyServerSideEncryptionByDefault"]
    assert encryption == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key}
    versioning = prod.one("aws:s3/bucketVersioning:BucketVersioning").inputs
    assert versioning["versioningConfiguration"] == {"status": "Enabled"}
    block = prod.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    assert all(block[k] for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                                  "restrictPublicBuckets"))  # fmt: skip
    deny = statement(policy(prod.one("aws:s3/bucketPolicy:BucketPolicy")), "DenyInsecureTransport")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    store = prod.one(PIPELINE).inputs["artifactStores"][0]
    assert store["encryptionKey"] == {"type": "KMS", "id": key}


def test_only_the_build_runs_privileged_and_only_deploys_run_in_the_vpc(prod: Registry) -> None:
    found = projects(prod)
    assert {n for n, p in found.items() if p["environment"]["privilegedMode"]} == {
        "prod-fraud-build"
    }
    assert {n for n, p in found.items() if "vpcConfig" in p} == {"prod-fraud-deploy-prod"}
    assert found["prod-fraud-deploy-prod"]["vpcConfig"]["subnets"] == ["subnet-a", "subnet-b"]
    variables = {
        v["name"]: v["value"]
        for v in found["prod-fraud-deploy-prod"]["environment"]["environmentVariables"]
    }
    assert variables == {"STACK": "prod"}
    assert found["prod-fraud-deploy-prod"]["source"]["auth"]["type"] == "CODECONNECTIONS"
    for project in found.values():
        assert project["encryptionKey"] == prod.one("aws:kms/key:Key").state["arn"]


def test_prod_approves_then_deploys_through_the_workflow_and_rolls_back_on_the_alarm(
    prod: Registry,
) -> None:
    pipeline = prod.one(PIPELINE).inputs
    assert (pipeline["pipelineType"], pipeline["executionMode"]) == ("V2", "QUEUED")
    assert [s["name"] for s in pipeline["stages"]] == ["Source", "Build", "Test", "prod"]
    prod_stage = stage(prod, "prod")
    assert [(a["name"], a["category"], a["runOrder"]) for a in prod_stage["actions"]] == [
        ("Approve", "Approval", 1), ("Deploy", "Invoke", 2), ("IntegrationTest", "Test", 3),
    ]  # fmt: skip
    deploy = prod_stage["actions"][1]["configuration"]
    assert deploy["StateMachineArn"] == MACHINE
    sent = resolve(deploy["Input"])
    assert intake({"kind": "promotion", "input": sent}, None) == {"valid": True}
    assert (sent["target"], sent["release"]["endpoint_name"]) == ("fraud-detector", ENDPOINT)
    assert sent["release"]["variants"] == [{"name": "blue", "weight": 90.0, "instance_count": 3}]
    assert sent["bake"] == {"interval_seconds": 300, "checks": 3, "alarm_names": [
        ALARM, "prod-fraud-detector-blue-latency"]}  # fmt: skip
    # The Approve action is prod's one approval: the workflow reads its approver, asks nobody.
    assert sent["approval"]["required"] is False
    assert (sent["approval"]["pipeline"], sent["approval"]["stage"]) == (pipeline["name"], "prod")
    after = prod_stage["onSuccess"]["condition"]
    assert after["result"] == "ROLLBACK"
    assert after["rules"][0]["configuration"] == {
        "AlarmName": ALARM, "AlarmStates": "ALARM", "WaitTime": "30",
    }  # fmt: skip
    assert prod_stage["beforeEntry"]["condition"]["result"] == "FAIL"
    assert prod_stage["onFailure"] == {"result": "ROLLBACK"}


def test_only_approved_packages_of_the_group_start_the_pipeline_once_each(prod: Registry) -> None:
    pattern = json.loads(prod.one("aws:cloudwatch/eventRule:EventRule").inputs["eventPattern"])
    assert pattern["detail"] == {
        "ModelApprovalStatus": ["Approved"],
        "ModelPackageGroupName": ["prod-fraud-detector-abcd1234"],
    }
    function = prod.one("aws:lambda/function:Function").inputs
    table = prod.one("aws:dynamodb/table:Table")
    assert function["environment"]["variables"] == {
        "PIPELINE_NAME": "prod-fraud",
        "MODEL_PACKAGE_GROUP": "prod-fraud-detector-abcd1234",
        "DEDUPE_TABLE": table.state["name"],
    }
    assert table.inputs["hashKey"] == "package_arn"
    assert table.inputs["pointInTimeRecovery"] == {"enabled": True}
    assert table.inputs["serverSideEncryption"]["enabled"] is True
    permission = prod.one("aws:lambda/permission:Permission").inputs
    assert permission["principal"] == "events.amazonaws.com"
    assert permission["sourceArn"] == prod.one("aws:cloudwatch/eventRule:EventRule").state["arn"]


def test_every_role_is_for_one_service_of_this_account_and_least_privilege(prod: Registry) -> None:
    services = {}
    for role in prod.all("aws:iam/role:Role"):
        if role.name == "prod-fraud-approve-prod-role":
            continue  # assumed by people: test_only_the_approvers_may_answer_the_approval
        [trust] = policy(role, "assumeRolePolicy")["Statement"]
        assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
        services[role.name] = trust["Principal"]["Service"]
    assert services["prod-fraud-pipeline-role"] == "codepipeline.amazonaws.com"
    assert services["prod-fraud-trigger-role"] == "lambda.amazonaws.com"
    pipeline = policy(prod.one("aws:iam/rolePolicy:RolePolicy", "prod-fraud-pipeline-access"))
    assert statement(pipeline, "StartWorkflow")["Resource"] == [MACHINE]
    assert statement(pipeline, "ReadAlarm")["Resource"] == [ALARM_ARN]
    deploy = policy(prod.one("aws:iam/rolePolicy:RolePolicy", "prod-fraud-deploy-prod-access"))
    assert statement(deploy, "StackRole")["Resource"] == STACK_ROLE
    integration = policy(
        prod.one("aws:iam/rolePolicy:RolePolicy", "prod-fraud-integration-prod-access")
    )
    assert statement(integration, "Invoke")["Resource"] == [PROD_STAGE.integration_endpoint_arn]


def test_only_the_approvers_may_answer_the_approval(prod: Registry) -> None:
    role = prod.one("aws:iam/role:Role", "prod-fraud-approve-prod-role")
    assert policy(role, "assumeRolePolicy")["Statement"] == [
        {
            "Sid": "Approvers",
            "Effect": "Allow",
            "Principal": {"AWS": [APPROVER]},
            "Action": "sts:AssumeRole",
        }
    ]
    managed = prod.one("aws:iam/policy:Policy", "prod-fraud-approve-prod")
    attachment = prod.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs
    assert attachment == {"role": role.state["name"], "policyArn": managed.state["arn"]}
    pipeline_arn = prod.one(PIPELINE).state["arn"]
    document = policy(managed)
    writes = [
        (s["Action"], s["Resource"])
        for s in document["Statement"]
        if any(not a.startswith("codepipeline:Get") for a in s["Action"])
    ]
    assert writes == [(["codepipeline:PutApprovalResult"], [f"{pipeline_arn}/prod/Approve"])]
    assert statement(document, "SeePipeline")["Resource"] == [pipeline_arn]
    assert {a for s in document["Statement"] for a in s["Action"]} == {
        "codepipeline:GetPipeline", "codepipeline:GetPipelineState",
        "codepipeline:PutApprovalResult",
    }  # fmt: skip


def test_a_dev_pipeline_deploys_without_approval_or_alarm_conditions(run: RunProgram) -> None:
    registry = run(lambda: build(dev_args(), None))
    assert registry.all("aws:sns/topic:Topic") == []
    assert registry.all("aws:iam/policy:Policy") == []
    assert registry.all("aws:iam/rolePolicyAttachment:RolePolicyAttachment") == []
    dev = stage(registry, "dev")
    assert [a["name"] for a in dev["actions"]] == ["Deploy"]
    assert "onSuccess" not in dev
    assert "beforeEntry" not in dev
    assert not any("vpcConfig" in p for p in projects(registry).values())


def test_a_given_connection_is_used_and_none_is_created(run: RunProgram) -> None:
    given = "arn:aws:codeconnections:us-east-1:123456789012:connection/given"
    registry = run(lambda: build(prod_args(connection_arn=given)))
    assert registry.all("aws:codestarconnections/connection:Connection") == []
    source = stage(registry, "Source")["actions"][0]["configuration"]
    assert source["ConnectionArn"] == given


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"stages": []}, ["stages = []: at least one deploy stage"]),
        (
            {"platform_repository": "mlops-platform"},
            [
                "platform_repository = 'mlops-platform': must be owner/name, e.g. "
                "acme/fraud-model (letters, digits, -_.)"
            ],
        ),
        (
            {"statistics_prefix": "acme/stats", "latency_budget_ms": 0},
            [
                "latency_budget_ms = 0: a whole number above 0",
                "statistics_prefix = 'acme/stats': an s3:// prefix",
            ],
        ),
    ],
)
def test_bad_args_list_every_problem(overrides: dict[str, Any], expected: list[str]) -> None:
    with pytest.raises(ArgsError) as raised:
        prod_args(**overrides)
    assert [str(p) for p in raised.value.problems] == expected


def test_a_prod_stage_needs_its_approval_and_its_alarm() -> None:
    stage_ = replace(PROD_STAGE, approval=False, rollback_alarm_name=None, alarm_wait_minutes=0)
    with pytest.raises(ArgsError) as raised:
        prod_args(stages=[stage_])
    assert [str(p) for p in raised.value.problems] == [
        "stages[0].approval = False: prod must have a manual approval before deploy",
        "stages[0].rollback_alarm_name = None: prod must roll back when its alarm fires",
        "stages[0].alarm_wait_minutes = 0: 1-1440 minutes",
    ]


def test_a_name_too_long_for_the_aws_names_is_refused_before_anything_exists() -> None:
    with pytest.raises(ArgsError) as raised:
        ModelPipeline("p" * 41, prod_args(), PLACEMENT)
    assert [str(p) for p in raised.value.problems] == [
        f"name = {'p' * 41!r}: 2-40 lowercase letters, digits or inner hyphens, starting with "
        "a letter"
    ]
