"""Model package state-change events in the documented SageMaker shape (AWS emits none here)."""

from __future__ import annotations

from typing import Any

GROUP = "fraud-detector"
ACCOUNT = "123456789012"


def package_arn(version: int, group: str = GROUP) -> str:
    """The ARN SageMaker gives version `version` of `group` (names are lower-cased in ARNs)."""
    return f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package/{group.lower()}/{version}"


def package_event(
    status: str, version: int = 3, group: str = GROUP, event_id: str = "e-1"
) -> dict[str, Any]:
    """One "SageMaker Model Package State Change" event."""
    arn = package_arn(version, group)
    return {
        "version": "0",
        "id": event_id,
        "detail-type": "SageMaker Model Package State Change",
        "source": "aws.sagemaker",
        "account": ACCOUNT,
        "time": "2026-12-01T12:00:00Z",
        "region": "us-east-1",
        "resources": [arn],
        "detail": {
            "ModelPackageGroupName": group,
            "ModelPackageVersion": version,
            "ModelPackageArn": arn,
            "ModelPackageStatus": "Completed",
            "ModelApprovalStatus": status,
            "CreationTime": 1764590400000,
        },
    }
