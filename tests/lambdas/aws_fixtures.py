"""Fake credentials, moto, and the tables the handlers use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from mlops_platform.lambdas.common import aws
from mlops_platform.lambdas.common.ledger import SERVING_INDEX

REGION = "us-east-1"
ACCOUNT = "123456789012"
MOTO_CONFIG: Any = {
    "stepfunctions": {"execute_state_machine": True},
    "lambda": {"use_docker": False},
}


def set_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and the env vars every handler reads."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "LOCK_TABLE": "locks",
        "LEDGER_TABLE": "ledger",
        "CODEBUILD_PROJECT": "deploy-dev",
        "TRAINING_ROLE_ARN": f"arn:aws:iam::{ACCOUNT}:role/training",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def create_tables() -> None:
    """The ledger (with its sparse serving index) and the coordination table."""
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    dynamodb.create_table(
        TableName="locks",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.create_table(
        TableName="ledger",
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"}
            for name in ("pk", "sk", "serving_env", "serving_sk")
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": SERVING_INDEX,
                "KeySchema": [
                    {"AttributeName": "serving_env", "KeyType": "HASH"},
                    {"AttributeName": "serving_sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )


@pytest.fixture
def moto_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """moto for every service, fresh tables, and handler clients created against it."""
    set_environment(monkeypatch)
    aws.reset()
    with mock_aws(config=MOTO_CONFIG):
        create_tables()
        yield
    aws.reset()
