"""The serving layer builds each managed model service from its release record, exactly."""

from __future__ import annotations

import contextlib
import json
import runpy
from typing import Any

import pytest

from infra.config import ConfigError
from mlops_platform.lambdas.common.release import ReleaseRecord
from mlops_platform.preview.project import PulumiProject
from mlops_platform.preview.stack import StackPreview, stack_outputs
from mlops_platform.testing import DeterministicMocks, Registry, run_program
from tests.conftest import PROJECT_ROOT

NAME = "/mlops/dev/release/fraud-scorer"
ROLLOUT = "kubernetes:argoproj.io/v1alpha1:Rollout"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-scorer@sha256:" + "e" * 64
MODEL = "s3://mlops-models-dev/fraud-scorer/1.5.0/"


def record(**overrides: object) -> dict[str, object]:
    return {
        "version": 5,
        "package_arn": "",
        "image": IMAGE,
        "image_digest": "sha256:" + "e" * 64,
        "model_data_url": MODEL,
        "commit": "0a1b2c3",
        "endpoint_name": "fraud-scorer",
        "variants": [],
        "extra": {"source": "first version"},
        **overrides,
    }


def serve(platform: Registry, records: dict[str, dict[str, object]]) -> Registry:
    """Run dev's real serving layer with these records in SSM and dev's platform outputs."""
    project = PulumiProject.load(PROJECT_ROOT)
    serving = project.serving_layer()
    assert serving is not None
    config = serving.stack_config("dev")
    mocks = DeterministicMocks(
        region=config.values["aws:region"],
        stack_outputs=stack_outputs(platform),
        parameters={name: json.dumps(value) for name, value in records.items()},
    )
    with contextlib.chdir(serving.directory):
        return run_program(
            lambda: runpy.run_path(str(serving.program.resolve()), run_name="__main__"),
            project=serving.name,
            stack="dev",
            config=config.values,
            secret_keys=config.secret_keys,
            mocks=mocks,
        )


def container(registry: Registry) -> dict[str, Any]:
    rollout = registry.one(ROLLOUT)
    [only] = rollout.inputs["spec"]["template"]["spec"]["containers"]
    return dict(only)


@pytest.fixture(scope="module")
def platform(committed_previews: dict[str, StackPreview]) -> Registry:
    return committed_previews["dev"].registry


def test_the_platform_seeds_each_managed_service_with_a_whole_record(platform: Registry) -> None:
    seed = next(p for p in platform.all("aws:ssm/parameter:Parameter") if p.inputs["name"] == NAME)
    assert seed.ignore_changes == ("insecureValue",)  # pulumi up never reverts a release
    parsed = ReleaseRecord.parse(json.loads(seed.inputs["insecureValue"]))
    assert (parsed.image, parsed.model_data_url, parsed.endpoint_name) == (
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-scorer:1.4.2",
        "s3://mlops-models-dev/fraud-scorer/1.4.2/",
        "fraud-scorer",
    )
    assert parsed.is_seed


def test_without_a_record_the_stack_files_version_serves(platform: Registry) -> None:
    served = container(serve(platform, {}))
    assert served["image"] == "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-scorer:1.4.2"
    assert served["env"] == [
        {"name": "MODEL_URI", "value": "s3://mlops-models-dev/fraud-scorer/1.4.2/"}
    ]


def test_a_record_deploys_exactly_its_image_and_model(platform: Registry) -> None:
    registry = serve(platform, {NAME: record()})
    served = container(registry)
    assert served["image"] == IMAGE
    assert served["env"] == [{"name": "MODEL_URI", "value": MODEL}]
    # The model's role follows the record: it may read the new prefix.
    policies = [p.inputs["policy"] for p in registry.all("aws:iam/rolePolicy:RolePolicy")]
    assert any("arn:aws:s3:::mlops-models-dev/fraud-scorer/1.5.0/*" in p for p in policies)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"endpoint_name": "churn-ranker"},
            "release record of 'fraud-scorer'.endpoint_name = 'churn-ranker': the record is for "
            "another target: service 'fraud-scorer' serves it",
        ),
        (
            {"package_arn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/"
                            "dev-churn-ranker-ab12cd34/3"},
            "release record of 'fraud-scorer'.package_arn = 'arn:aws:sagemaker:us-east-1:"
            "123456789012:model-package/dev-churn-ranker-ab12cd34/3': belongs to the package group "
            "'dev-churn-ranker-ab12cd34', not to a registry of service 'fraud-scorer'",
        ),
        (
            {"model_data_url": ""},
            "release record of 'fraud-scorer'.model_data_url = '': a service needs its "
            "model_data_url",
        ),
    ],
)  # fmt: skip
def test_a_record_not_for_this_service_stops_the_program(
    platform: Registry, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        serve(platform, {NAME: record(**changes)})
    assert [str(p) for p in raised.value.problems] == [f"mlops:services[0] = {NAME!r}: {message}"]
