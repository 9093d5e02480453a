"""The verifier against SageMaker answers stubbed with botocore's Stubber (moto lacks them)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from mlops_platform.lambdas.common import aws
from mlops_platform.lambdas.common.release import ReleaseRecord, write_release
from mlops_platform.lambdas.verify import handler as verify

from .aws_fixtures import REGION

DIGEST = "sha256:" + "ab" * 32
RECORD = {
    "version": 5,
    "package_arn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud/5",
    "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:5",
    "image_digest": DIGEST,
    "model_data_url": "s3://models/fraud/5/model.tar.gz",
    "commit": "c0ffee05",
    "endpoint_name": "fraud",
    "variants": [{"name": "primary", "weight": 1.0, "instance_count": 2}],
}
EVENT = {
    "env": "dev",
    "target": "fraud",
    "previous_endpoint_config": "fraud-cfg-4",
    "max_attempts": 3,
}


@pytest.fixture
def stubbed(moto_aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    """A real SageMaker client whose answers the test queues; SSM from moto."""
    write_release(
        boto3.client("ssm", region_name=REGION), "dev", "fraud", ReleaseRecord.parse(RECORD)
    )
    client = boto3.client("sagemaker", region_name=REGION)
    real = aws.client
    monkeypatch.setattr(aws, "client", lambda s: client if s == "sagemaker" else real(s))
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def queue(
    stubber: Stubber, status: str = "InService", config: str = "fraud-cfg-5", **live: Any
) -> None:
    variant = {
        "VariantName": "primary",
        "CurrentWeight": live.get("weight", 1.0),
        "CurrentInstanceCount": live.get("count", 2),
        "DeployedImages": [
            {
                "ResolvedImage": live.get(
                    "resolved", f"123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud@{DIGEST}"
                )
            }
        ],
    }
    stubber.add_response(
        "describe_endpoint",
        {
            "EndpointName": "fraud",
            "EndpointArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/fraud",
            "EndpointConfigName": config,
            "EndpointStatus": status,
            "ProductionVariants": [variant],
            "CreationTime": "2026-01-01T00:00:00Z",
            "LastModifiedTime": "2026-01-01T00:00:00Z",
        },
        {"EndpointName": "fraud"},
    )
    if status != "InService":
        return
    stubber.add_response(
        "describe_endpoint_config",
        {
            "EndpointConfigName": config,
            "EndpointConfigArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/x",
            "ProductionVariants": [{"VariantName": "primary", "ModelName": "m5"}],
            "CreationTime": "2026-01-01T00:00:00Z",
        },
        {"EndpointConfigName": config},
    )
    stubber.add_response(
        "describe_model",
        {
            "ModelName": "m5",
            "ModelArn": "arn:aws:sagemaker:us-east-1:123456789012:model/m5",
            "PrimaryContainer": {"ModelPackageName": live.get("package", RECORD["package_arn"])},
            "CreationTime": "2026-01-01T00:00:00Z",
        },
        {"ModelName": "m5"},
    )


def test_matching_endpoint_is_verified(stubbed: Stubber) -> None:
    queue(stubbed)
    assert verify.handler(EVENT, None) == {
        "state": "verified",
        "attempt": 0,
        "endpoint_config": "fraud-cfg-5",
    }


@pytest.mark.parametrize("status", ["Updating", "RollingBack"])
def test_busy_endpoint_is_waited_out(stubbed: Stubber, status: str) -> None:
    queue(stubbed, status=status)
    assert verify.handler(EVENT, None) == {
        "state": "waiting",
        "attempt": 1,
        "endpoint_status": status,
    }


@pytest.mark.parametrize(
    ("live", "fragment"),
    [
        ({"config": "fraud-cfg-4"}, "still serves the previous configuration fraud-cfg-4"),
        ({"weight": 0.5}, "variant primary weight is 0.5, expected 1.0"),
        ({"count": 1}, "variant primary runs 1 instances, expected 2"),
        ({"resolved": "repo/fraud@sha256:" + "cd" * 32}, "not digest " + DIGEST),
        (
            {"package": "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud/4"},
            "serves neither",
        ),
    ],
)
def test_any_difference_is_a_silent_rollback(
    stubbed: Stubber, live: dict[str, Any], fragment: str
) -> None:
    queue(stubbed, **live)
    with pytest.raises(verify.SilentRollback, match="fraud does not serve version 5") as raised:
        verify.handler(EVENT, None)
    assert fragment in str(raised.value)


def test_failed_endpoint_fails_verification(stubbed: Stubber) -> None:
    queue(stubbed, status="Failed")
    with pytest.raises(verify.VerifyFailed, match="fraud is Failed: no reason given"):
        verify.handler(EVENT, None)


def test_endpoint_that_never_settles_fails(stubbed: Stubber) -> None:
    queue(stubbed, status="Updating")
    with pytest.raises(verify.VerifyFailed, match="still Updating after 3 checks"):
        verify.handler({**EVENT, "attempt": 2}, None)
