"""EventBridge target: start the model's pipeline once per approved model package.

Environment variables (all required):

- `PIPELINE_NAME`: the CodePipeline (V2) to start.
- `MODEL_PACKAGE_GROUP`: the model package group this pipeline delivers; events of any other
  group are rejected.
- `DEDUPE_TABLE`: DynamoDB table with partition key `package_arn` (string). One item per
  package ARN that started a run: `package_arn`, `pipeline`, `event_id`, `claimed_at`, and
  `execution_id` once the run started.

The run's pipeline variables carry the package: `PackageArn`, `PackageVersion` and
`ModelDataUrl` (its first container's, read with DescribeModelPackage), which the deploy
action sends the promotion workflow as its release record.

A duplicate event (EventBridge delivers at least once, and a package can be approved twice)
finds the item and starts nothing. The conditional write is the guard; the request token passed
to StartPipelineExecution, derived from the ARN, only covers a retried call inside AWS.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3

from .events import PackageChange, parse

if TYPE_CHECKING:
    from mypy_boto3_codepipeline import CodePipelineClient
    from mypy_boto3_dynamodb import DynamoDBClient

VARIABLE = "PackageArn"
"""The pipeline variable that carries the package ARN (see the pipeline's declaration)."""
VERSION_VARIABLE = "PackageVersion"
"""The pipeline variable that carries the package's version in its group."""
MODEL_DATA_VARIABLE = "ModelDataUrl"
"""The pipeline variable that carries the package's model artifact."""


@cache
def _clients() -> tuple[CodePipelineClient, DynamoDBClient]:
    """The AWS clients, created once per container (tests clear the cache to re-point them)."""
    return boto3.client("codepipeline"), boto3.client("dynamodb")


@cache
def _sagemaker() -> Any:
    """The SageMaker client, created once per container (no stubs installed for it)."""
    return boto3.client("sagemaker")


def _model_data(package_arn: str) -> str:
    """The `s3://` model artifact of the package's first container; raises when it has none."""
    described = _sagemaker().describe_model_package(ModelPackageName=package_arn)
    containers = described.get("InferenceSpecification", {}).get("Containers") or [{}]
    url = str(containers[0].get("ModelDataUrl") or "")
    if not url.startswith("s3://"):
        raise ValueError(
            f"model package {package_arn} has no s3:// ModelDataUrl in its first container "
            f"(found {url!r}); the release record needs the artifact"
        )
    return url


def _setting(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise RuntimeError(f"environment variable {name} is not set")
    return value


def _claim(dynamodb: DynamoDBClient, table: str, change: PackageChange, event_id: str) -> bool:
    """Record that this package starts a run; False when an earlier event already did."""
    try:
        dynamodb.put_item(
            TableName=table,
            Item={
                "package_arn": {"S": change.package_arn},
                "pipeline": {"S": _setting("PIPELINE_NAME")},
                "event_id": {"S": event_id},
                "claimed_at": {"N": str(int(time.time()))},
            },
            ConditionExpression="attribute_not_exists(package_arn)",
        )
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return False
    return True


def _start(pipeline: str, change: PackageChange) -> str:
    codepipeline, _ = _clients()
    variables = {
        VARIABLE: change.package_arn,
        VERSION_VARIABLE: str(change.version),
        MODEL_DATA_VARIABLE: _model_data(change.package_arn),
    }
    response = codepipeline.start_pipeline_execution(
        name=pipeline,
        variables=[{"name": name, "value": value} for name, value in variables.items()],
        clientRequestToken=change.request_token,
    )
    return response["pipelineExecutionId"]


def handler(event: Mapping[str, Any], _context: object) -> dict[str, str]:
    """Start the pipeline for an Approved package; ignore other statuses and duplicates.

    Returns `{"outcome": "started" | "duplicate" | "ignored", "package_arn": ...}` and, when
    started, the `execution_id`. An invalid event raises, so it lands in the target's
    dead-letter queue instead of vanishing.
    """
    pipeline = _setting("PIPELINE_NAME")
    table = _setting("DEDUPE_TABLE")
    change = parse(event, _setting("MODEL_PACKAGE_GROUP"))
    result = {"package_arn": change.package_arn}
    if not change.approved:
        return {**result, "outcome": "ignored"}
    _, dynamodb = _clients()
    if not _claim(dynamodb, table, change, str(event.get("id", ""))):
        return {**result, "outcome": "duplicate"}
    try:
        execution_id = _start(pipeline, change)
    except Exception:
        # Release the claim so EventBridge's retry can start the run.
        dynamodb.delete_item(TableName=table, Key={"package_arn": {"S": change.package_arn}})
        raise
    dynamodb.update_item(
        TableName=table,
        Key={"package_arn": {"S": change.package_arn}},
        UpdateExpression="SET execution_id = :id",
        ExpressionAttributeValues={":id": {"S": execution_id}},
    )
    return {**result, "outcome": "started", "execution_id": execution_id}
