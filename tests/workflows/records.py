"""Release records the workflow tests promote: an endpoint target and an EKS target."""

from __future__ import annotations

from typing import Any

from mlops_platform.lambdas.common.release import ReleaseRecord

from ..lambdas.aws_fixtures import ACCOUNT, REGION

ENV, TARGET, ENDPOINT = "dev", "fraud-detector", "fraud-detector"
SERVICE = "fraud-scorer"
"""The EKS target: a model service whose Argo Rollout and namespace share its name."""


def release(version: int, **changes: Any) -> dict[str, Any]:
    """A valid release record of version `version`."""
    record = {
        "version": version,
        "package_arn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/fraud/{version}",
        "image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/fraud:{version}",
        "image_digest": "sha256:" + f"{version:02d}" * 32,
        "model_data_url": f"s3://models/fraud/{version}/model.tar.gz",
        "commit": f"c0ffee{version:02d}",
        "endpoint_name": ENDPOINT,
        "variants": [{"name": "primary", "weight": 1.0, "instance_count": 2}],
    }
    record.update(changes)
    return record


def service_release(version: int) -> dict[str, Any]:
    """A valid release record of version `version` of the EKS target.

    The service is its own `endpoint_name` and has no SageMaker variants, as its seed.
    """
    return {**release(version), "endpoint_name": SERVICE, "variants": []}


EKS_TARGETS = {SERVICE: {"cluster_name": "dev-cluster", "namespace": SERVICE, "rollout": SERVICE}}
"""The verify function's `EKS_TARGETS`, as the component sets it for this target."""


def pinned_image(record: ReleaseRecord) -> str:
    """The image reference a deploy of `record` puts in the pod template (pinned by digest)."""
    return f"{record.image.rsplit(':', 1)[0]}@{record.image_digest}"
