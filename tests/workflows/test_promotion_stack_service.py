"""A promotion of the committed dev stack's model service, on moto, through the real definition.

The target is what the stack's plan gives the workflows (verify's `EKS_TARGETS`, the deploy
project's `SERVICE_TARGETS`); the release is built from the stack file's own service (image,
digest, model URI and commit) and a package of a registry the service's record accepts. The
record the workflow writes is read back the way the serving layer reads it.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from infra.config import parse
from infra.schema.first_release import FirstRelease
from mlops_platform.components.delivery.releases import first_service_record, parse_service_record
from mlops_platform.components.eks import ModelServiceArgs
from mlops_platform.lambdas.common.release import ReleaseRecord, release_record_name
from mlops_platform.preview.stack import StackPreview
from tests.infra.test_serving_stacks import stack_values

from ..lambdas.aws_fixtures import ACCOUNT, REGION
from .harness import ENV, SERVICE, World, pinned_image

GROUP = f"{ENV}-{SERVICE}-0a1b2c3d"
"""A registry of the service, named as the service's record accepts (`<env>-<service>-*`)."""


@pytest.fixture(scope="module")
def committed() -> tuple[ModelServiceArgs, FirstRelease]:
    """The dev stack file's managed service and its first version's seed."""
    stack = parse(stack_values(ENV), region=REGION, stack=ENV)
    service = next(s for s in stack.services if s.service_name in stack.service_releases)
    return service, stack.service_releases[service.service_name]


def plan_variables(previews: dict[str, StackPreview]) -> tuple[dict[str, Any], list[str]]:
    """Verify's `EKS_TARGETS` and the deploy project's `SERVICE_TARGETS` in dev's plan."""
    registry = previews[ENV].registry
    verify = registry.one("aws:lambda/function:Function", f"{ENV}-workflows-verify")
    project = registry.one("aws:codebuild/project:Project", f"{ENV}-workflows-deploy")
    listed = {v["name"]: v["value"] for v in project.inputs["environment"]["environmentVariables"]}
    eks = json.loads(verify.inputs["environment"]["variables"]["EKS_TARGETS"])
    return eks, listed["SERVICE_TARGETS"].split()


def release(service: ModelServiceArgs, seed: FirstRelease, version: int) -> dict[str, Any]:
    """Version `version` of the service, as a package of its registry names it."""
    return {
        "version": version,
        "package_arn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/{GROUP}/{version}",
        "image": service.image,
        "image_digest": seed.image_digest,
        "model_data_url": service.model_uri,
        "commit": seed.commit,
        "endpoint_name": service.service_name,
        "variants": [],
    }


def test_the_committed_service_is_promoted_and_served_from_its_record(
    world: World,
    committed: tuple[ModelServiceArgs, FirstRelease],
    committed_previews: dict[str, StackPreview],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service, seed = committed
    eks, service_targets = plan_variables(committed_previews)
    assert service.service_name == SERVICE
    assert service_targets == [SERVICE], "the deploy applies the serving layer for it"
    monkeypatch.setenv("EKS_TARGETS", json.dumps(eks))  # verify configured as the plan says
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    sagemaker.create_model_package_group(ModelPackageGroupName=GROUP)
    for _ in range(2):
        sagemaker.create_model_package(
            ModelPackageGroupName=GROUP,
            InferenceSpecification={"Containers": [{"Image": service.image}],
                                    "SupportedContentTypes": ["application/json"],
                                    "SupportedResponseMIMETypes": ["application/json"]},
        )  # fmt: skip
    first = first_service_record(service=SERVICE, image=service.image, model_uri=service.model_uri,
                                 image_digest=seed.image_digest, commit=seed.commit)  # fmt: skip
    world.ssm.put_parameter(Name=release_record_name(ENV, SERVICE), Value=first, Type="String")
    world.kubernetes.serve(SERVICE, SERVICE, pinned_image(ReleaseRecord.parse(json.loads(first))))
    run = world.promote({
        "env": ENV, "target": SERVICE, "actor": "ci@fraud", "release": release(service, seed, 2),
        "approval": {"required": False, "timeout_seconds": 60},
        "bake": {"interval_seconds": 0, "checks": 2, "alarm_names": []},
        "timing": {"poll_seconds": 0, "max_polls": 5}, "lock_ttl_seconds": 600,
    })  # fmt: skip
    assert (run.status, run.error) == ("SUCCEEDED", "")
    assert world.actions(SERVICE) == ["promote-started", "promoted"]
    applied = [e for n, e in world.router.calls if n == "apply" and e.get("action") == "start"]
    assert [(e["target"], e["version"]) for e in applied] == [(SERVICE, 2)]
    bakes = [e for n, e in world.router.calls if n == "bake"]
    assert [e["alarm_names"] for e in bakes] == [[], []], "no alarm: both checks pass (stated)"
    text = world.ssm.get_parameter(Name=release_record_name(ENV, SERVICE))["Parameter"]["Value"]
    served = parse_service_record(text, service=SERVICE)  # what the serving layer then serves
    assert (served.version, served.image, served.model_data) == (
        2,
        service.image,
        service.model_uri,
    )
    assert world.stable_image() == f"{service.image.rsplit(':', 1)[0]}@{seed.image_digest}"
    assert not world.locked(SERVICE)
