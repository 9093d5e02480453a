"""The program deploys exactly what the release record says, and the first version without one."""

from __future__ import annotations

import contextlib
import json
import runpy

import pytest

from mlops_platform.components.core import InvalidInputError
from mlops_platform.preview.project import PulumiProject
from mlops_platform.testing import DeterministicMocks, Registry, run_program
from tests.conftest import PROJECT_ROOT

NAME = "/mlops/{env}/release/fraud-detector"
MODEL = "aws:sagemaker/model:Model"


def deploy(stack: str, records: dict[str, dict[str, object]]) -> Registry:
    """Run the real program of a committed stack with these records in SSM."""
    project = PulumiProject.load(PROJECT_ROOT)
    config = project.stack_config(stack)
    # The serving cluster plays no part in release records: leave it out to keep the test fast.
    values = {
        k: v for k, v in config.values.items() if k not in {"mlops:cluster", "mlops:services"}
    }
    mocks = DeterministicMocks(
        region=config.values["aws:region"],
        parameters={name: json.dumps(record) for name, record in records.items()},
    )
    with contextlib.chdir(project.directory):
        return run_program(
            lambda: runpy.run_path(str(project.program.resolve()), run_name="__main__"),
            project=project.name,
            stack=stack,
            config=values,
            secret_keys=config.secret_keys,
            mocks=mocks,
        )


def container(registry: Registry, variant: str) -> dict[str, object]:
    model = next(r for r in registry.all(MODEL) if r.name.endswith(f"-{variant}-model"))
    return model.inputs["primaryContainer"]


def record(**overrides: object) -> dict[str, object]:
    return {
        "version": 7,
        "package_arn": "",
        "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-detector:7",
        "image_digest": "sha256:" + "a" * 64,
        "model_data_url": "s3://acme-ml-models-dev/fraud-detector/7/model.tar.gz",
        "commit": "0a1b2c3",
        "endpoint_name": "dev-fraud-detector",
        "variants": [{"name": "blue", "weight": 1.0, "instance_count": 1}],
        **overrides,
    }


def test_without_a_record_the_stack_files_version_serves_and_seeds_the_parameter() -> None:
    registry = deploy("dev", {})
    assert container(registry, "blue")["image"] == (
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-detector:1.5.0"
    )
    parameter = registry.one("aws:ssm/parameter:Parameter")
    assert parameter.inputs["name"] == NAME.format(env="dev")
    assert parameter.ignore_changes == ("insecureValue",)  # pulumi up never reverts a release
    seeded = json.loads(parameter.inputs["insecureValue"])
    assert (seeded["version"], seeded["image"]) == (
        1,
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-detector:1.5.0",
    )


def test_a_record_with_an_image_deploys_exactly_that_image_and_artifact() -> None:
    registry = deploy("dev", {NAME.format(env="dev"): record()})
    served = container(registry, "blue")
    assert served["image"] == "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-detector:7"
    assert served["modelDataUrl"] == "s3://acme-ml-models-dev/fraud-detector/7/model.tar.gz"
    assert "modelPackageName" not in served


def test_a_record_with_only_a_package_deploys_exactly_that_package() -> None:
    arn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/dev-fraud-detector-1a2b3c4d/7"
    only_package = record(package_arn=arn, model_data_url="")  # the image: the package's
    registry = deploy("staging", {NAME.format(env="staging"): only_package})
    served = container(registry, "blue")
    assert served["modelPackageName"] == arn
    assert "image" not in served


def test_a_workflow_record_serves_its_built_image_and_the_packages_artifact() -> None:
    # The pipeline's record names the package (lineage) and the image it built, by digest: the
    # endpoint must run that image, since verify compares the deployed digest with the record.
    arn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/dev-fraud-detector-1a2b3c4d/7"
    artifact = "s3://acme-ml-models-staging/fraud-detector/7/model.tar.gz"
    released = record(package_arn=arn, model_data_url=artifact)
    registry = deploy("staging", {NAME.format(env="staging"): released})
    served = container(registry, "blue")
    assert served["image"] == "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-detector:7"
    assert served["modelDataUrl"] == artifact
    assert "modelPackageName" not in served


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"package_arn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/churn-x/3"},
            "release record of 'fraud-detector'.package_arn = 'arn:aws:sagemaker:us-east-1:"
            "123456789012:model-package/churn-x/3': belongs to the package group 'churn-x', not "
            "to a registry of endpoint 'fraud-detector'",
        ),
        (
            {"variants": [{"name": "green", "weight": 1, "instance_count": 1}]},
            "release record of 'fraud-detector'.variants = ['green']: no variant 'blue': "
            "the record is for another target",
        ),
        (
            {"version": 0, "model_data_url": ""},
            "release record of 'fraud-detector'.version = 0: a whole number, 1 or more; "
            "release record of 'fraud-detector'.model_data_url = '': required without a "
            "package_arn",
        ),
    ],
)
def test_a_bad_record_is_refused_naming_the_parameter(
    overrides: dict[str, object], expected: str
) -> None:
    with pytest.raises(InvalidInputError) as raised:
        deploy("dev", {NAME.format(env="dev"): record(**overrides)})
    [problem] = raised.value.problems
    assert (problem.field, problem.value, problem.reason) == (
        "mlops:endpoints[0]",
        NAME.format(env="dev"),
        expected,
    )
