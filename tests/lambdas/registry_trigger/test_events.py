"""Parsing the model package event: every bad field named at once."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_platform.lambdas.registry_trigger.events import InvalidEventError, parse
from tests.lambdas.registry_trigger.sample_events import package_arn, package_event


def test_an_approved_event_parses() -> None:
    change = parse(package_event("Approved", version=7), "fraud-detector")
    assert (change.package_arn, change.group, change.version) == (
        package_arn(7),
        "fraud-detector",
        7,
    )
    assert change.approved
    assert not parse(package_event("Rejected"), "fraud-detector").approved


def test_the_token_depends_only_on_the_arn() -> None:
    one = parse(package_event("Approved", version=1, event_id="a"), "fraud-detector")
    again = parse(package_event("Approved", version=1, event_id="b"), "fraud-detector")
    other = parse(package_event("Approved", version=2), "fraud-detector")
    assert one.request_token == again.request_token != other.request_token


def changed(**detail: Any) -> dict[str, Any]:
    event = package_event("Approved")
    event["detail"] = {**event["detail"], **detail}
    return event


ARN_OF_CHURN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/3"


@pytest.mark.parametrize(
    ("event", "problems"),
    [
        ({**package_event("Approved"), "source": "custom.app"},
         ["source = 'custom.app': must be 'aws.sagemaker'"]),
        ({**package_event("Approved"), "detail-type": "SageMaker Endpoint State Change"},
         ["detail-type = 'SageMaker Endpoint State Change': must be "
          "'SageMaker Model Package State Change'"]),
        ({**package_event("Approved"), "detail": None},
         ["detail = None: must be an object",
          "detail.ModelPackageArn = None: must be a non-empty string",
          "detail.ModelPackageGroupName = None: must be a non-empty string",
          "detail.ModelApprovalStatus = None: must be a non-empty string"]),
        (changed(ModelApprovalStatus="approved"),
         ["detail.ModelApprovalStatus = 'approved': allowed: Approved, "
          "PendingManualApproval, Rejected"]),
        (changed(ModelPackageArn="arn:aws:sagemaker:us-east-1:123456789012:model/x"),
         ["detail.ModelPackageArn = 'arn:aws:sagemaker:us-east-1:123456789012:model/x': "
          "not a model package version ARN"]),
        (changed(ModelPackageArn=ARN_OF_CHURN),
         [f"detail.ModelPackageArn = '{ARN_OF_CHURN}': belongs to group 'churn', "
          "not 'fraud-detector'"]),
    ],
)  # fmt: skip
def test_bad_events(event: dict[str, Any], problems: list[str]) -> None:
    with pytest.raises(InvalidEventError) as error:
        parse(event, "fraud-detector")
    assert list(error.value.problems) == problems
