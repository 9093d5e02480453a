from __future__ import annotations

from mlops_platform.policies.codebuild._project import PROJECT
from mlops_platform.policies.codebuild.no_privileged_mode import POLICY
from tests.policies.harness import check_resource

ENVIRONMENT = {"computeType": "BUILD_GENERAL1_SMALL", "image": "img", "type": "LINUX_CONTAINER"}


def test_an_unprivileged_project_passes() -> None:
    assert check_resource(POLICY, PROJECT, {"environment": ENVIRONMENT}) == []


def test_a_privileged_project() -> None:
    props = {"environment": {**ENVIRONMENT, "privilegedMode": True}}
    assert check_resource(POLICY, PROJECT, props, name="images") == [
        "builds run in privileged mode; remove privileged_mode or allow the project by name in "
        "allowedProjects"
    ]


def test_a_project_allowed_by_name() -> None:
    props = {"environment": {**ENVIRONMENT, "privilegedMode": True}}
    config = {"allowedProjects": ["images"]}
    assert check_resource(POLICY, PROJECT, props, name="images", config=config) == []
