"""`mlops release promote --target <service>` against a moto server: the service's input.

A model service's record names an image, its digest and a model URI, and no SageMaker
variants; its package must come from one of its own registries, which the serving layer checks.
"""

from __future__ import annotations

import json
import time

import pytest

from mlops_platform.components.delivery.releases import first_service_record
from mlops_platform.lambdas.common.release import release_record_name
from mlops_platform.release.drill import Drill

from .test_commands import FAST, GROUP_ARN, mlops

SERVICE = "fraud-scorer"
GROUP = f"dev-{SERVICE}-0a1b2c3d"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-scorer"
DIGEST = "sha256:" + "7d" * 32


@pytest.fixture(scope="module")
def service(drill: Drill) -> Drill:
    """staging's seed of the service (as the platform writes it), and two packages of dev's
    registry of it."""
    seed = first_service_record(service=SERVICE, image=f"{IMAGE}:1.4.2",
                                model_uri="s3://mlops-models-dev/fraud-scorer/1.4.2/",
                                image_digest=DIGEST, commit="3b8f" * 10)  # fmt: skip
    drill.clients.client("ssm").put_parameter(
        Name=release_record_name("staging", SERVICE), Value=seed, Type="String"
    )
    sagemaker = drill.world.live.packages
    sagemaker.create_model_package_group(ModelPackageGroupName=GROUP)
    for version in (1, 2):
        sagemaker.create_model_package(
            ModelPackageGroupName=GROUP,
            InferenceSpecification={
                "Containers": [{"Image": f"{IMAGE}:1.5.{version}",
                                "ImageDigest": "sha256:" + f"{version:02d}" * 32,
                                "ModelDataUrl": f"s3://mlops-models-dev/{SERVICE}/1.5.{version}/"}],
                "SupportedContentTypes": ["application/json"],
                "SupportedResponseMIMETypes": ["application/json"],
            },
            CustomerMetadataProperties={"lineage:commit": f"c0ffee{version:02d}"},
        )  # fmt: skip
    return drill


def test_promote_builds_the_services_input(
    capsys: pytest.CaptureFixture[str], service: Drill
) -> None:
    code, out, err = mlops(capsys, service, "release", "promote", "--stack", "staging",
                           "--target", SERVICE, "--package", f"{GROUP_ARN}/{GROUP}/2",
                           "--no-wait", "--format", "json", *FAST)  # fmt: skip
    assert (code, err) == (0, "")
    started = json.loads(out)
    sfn = service.clients.client("stepfunctions")
    payload = json.loads(sfn.describe_execution(executionArn=started["execution_arn"])["input"])
    assert (payload["env"], payload["target"]) == ("staging", SERVICE)
    assert {k: v for k, v in payload["release"].items() if k != "extra"} == {
        "version": 2,
        "package_arn": f"{GROUP_ARN}/{GROUP}/2",
        "image": f"{IMAGE}:1.5.2",
        "image_digest": "sha256:" + "02" * 32,
        "model_data_url": f"s3://mlops-models-dev/{SERVICE}/1.5.2/",
        "commit": "c0ffee02",
        "endpoint_name": SERVICE,
        "variants": [],
    }
    assert payload["bake"]["alarm_names"] == []
    deadline = time.monotonic() + 20
    while sfn.describe_execution(executionArn=started["execution_arn"])["status"] == "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.2)


@pytest.mark.parametrize(
    ("package", "message"),
    [
        (f"{GROUP_ARN}/fraud/2",
         f"mlops release: --package {GROUP_ARN}/fraud/2: a package of 'fraud', but model service "
         "'fraud-scorer' serves packages of its own registries only "
         "(<env>-fraud-scorer-<8 characters>)\n"),
        ("2",
         "mlops release: --package 2: a version needs the target's package ARN; 'fraud-scorer' "
         "has no package in its record yet, so give the model package ARN\n"),
    ],
    ids=["another model's package", "a bare version before any package"],
)  # fmt: skip
def test_a_package_the_service_would_not_serve_is_refused(
    capsys: pytest.CaptureFixture[str], service: Drill, package: str, message: str
) -> None:
    sfn = service.clients.client("stepfunctions")
    before = sfn.list_executions(stateMachineArn=service_machine(service))["executions"]
    code, _, err = mlops(capsys, service, "release", "promote", "--stack", "staging", "--target",
                         SERVICE, "--package", package, "--no-wait", *FAST)  # fmt: skip
    assert (code, err) == (2, message)
    after = sfn.list_executions(stateMachineArn=service_machine(service))["executions"]
    assert len(after) == len(before), "nothing started"


def service_machine(drill: Drill) -> str:
    machines = drill.clients.client("stepfunctions").list_state_machines()["stateMachines"]
    return next(m["stateMachineArn"] for m in machines if m["name"] == "mlops-staging-promotion")
