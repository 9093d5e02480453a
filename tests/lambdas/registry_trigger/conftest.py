"""The registry trigger on moto: a pipeline, the dedupe table, and the handler pointed at them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto import mock_aws

from mlops_platform.lambdas.registry_trigger import handler as trigger
from tests.lambdas.registry_trigger.sample_events import ACCOUNT, GROUP

PIPELINE = "fraud-detector"
TABLE = "fraud-detector-triggers"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "codepipeline.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


@dataclass
class Registry:
    """The AWS side of the trigger, to ask what it did."""

    def runs(self) -> list[dict[str, Any]]:
        """Every execution of the pipeline, with its resolved variables, oldest first."""
        client = boto3.client("codepipeline")
        summaries = client.list_pipeline_executions(pipelineName=PIPELINE)
        ids = [s["pipelineExecutionId"] for s in summaries["pipelineExecutionSummaries"]]
        return [
            dict(
                client.get_pipeline_execution(pipelineName=PIPELINE, pipelineExecutionId=run_id)[
                    "pipelineExecution"
                ]
            )
            for run_id in reversed(ids)
        ]

    def claims(self) -> list[dict[str, Any]]:
        """The dedupe table's items."""
        return list(boto3.client("dynamodb").scan(TableName=TABLE)["Items"])


def _pipeline() -> dict[str, Any]:
    stage = {
        "name": "Source",
        "actions": [
            {
                "name": "Source",
                "actionTypeId": {
                    "category": "Source",
                    "owner": "AWS",
                    "provider": "S3",
                    "version": "1",
                },
                "configuration": {"S3Bucket": "b", "S3ObjectKey": "k"},
            }
        ],
    }
    return {
        "name": PIPELINE,
        "roleArn": f"arn:aws:iam::{ACCOUNT}:role/pipeline",
        "artifactStore": {"type": "S3", "location": "artifacts"},
        "stages": [stage, {**stage, "name": "Again"}],
        "pipelineType": "V2",
        "variables": [
            {"name": "PackageArn", "defaultValue": "current"},
            {"name": "PackageVersion", "defaultValue": "0"},
            {"name": "ModelDataUrl", "defaultValue": "current"},
        ],
    }


def model_data(version: int) -> str:
    """The artifact of version `version` in the registry the fixture fills."""
    return f"s3://acme-models/fraud-detector/{version}/model.tar.gz"


def _packages(count: int = 4) -> None:
    """Versions 1 to `count` of the group, each with its own artifact."""
    sagemaker = boto3.client("sagemaker")
    sagemaker.create_model_package_group(ModelPackageGroupName=GROUP)
    for version in range(1, count + 1):
        sagemaker.create_model_package(
            ModelPackageGroupName=GROUP,
            ModelApprovalStatus="Approved",
            InferenceSpecification={
                "Containers": [
                    {
                        "Image": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/fraud:{version}",
                        "ModelDataUrl": model_data(version),
                    }
                ],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
        )


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[Registry]:
    """moto with the pipeline and table created, the handler's settings and clients set."""
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "PIPELINE_NAME": PIPELINE,
        "MODEL_PACKAGE_GROUP": GROUP,
        "DEDUPE_TABLE": TABLE,
    }.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        boto3.client("iam").create_role(
            RoleName="pipeline", AssumeRolePolicyDocument=json.dumps(TRUST)
        )
        boto3.client("codepipeline").create_pipeline(pipeline=_pipeline())  # type: ignore[arg-type]
        boto3.client("dynamodb").create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "package_arn", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "package_arn", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        _packages()
        trigger._clients.cache_clear()
        trigger._sagemaker.cache_clear()
        yield Registry()
        trigger._clients.cache_clear()
        trigger._sagemaker.cache_clear()
