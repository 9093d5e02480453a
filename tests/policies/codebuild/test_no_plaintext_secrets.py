from __future__ import annotations

import pytest

from mlops_platform.policies.codebuild._project import PROJECT
from mlops_platform.policies.codebuild.no_plaintext_secrets import POLICY
from tests.policies.harness import check_resource


def project(*variables: dict[str, str]) -> dict[str, object]:
    return {"environment": {"image": "img", "environmentVariables": list(variables)}}


def test_plain_settings_and_referenced_secrets_pass() -> None:
    props = project(
        {"name": "STAGE", "value": "prod"},
        {"name": "DB_PASSWORD", "value": "db/password", "type": "SECRETS_MANAGER"},
    )
    assert check_resource(POLICY, PROJECT, props) == []


@pytest.mark.parametrize(
    "name", ["DB_PASSWORD", "github_token", "AWS_SECRET_ACCESS_KEY", "API_KEY"]
)
def test_a_credential_in_plaintext(name: str) -> None:
    props = project({"name": name, "value": "x", "type": "PLAINTEXT"})
    assert check_resource(POLICY, PROJECT, props) == [
        f"environment variable {name!r} looks like a credential in plaintext; use type "
        "SECRETS_MANAGER or PARAMETER_STORE"
    ]


def test_patterns_come_from_config() -> None:
    props = project({"name": "LICENSE", "value": "x"})
    assert (
        len(check_resource(POLICY, PROJECT, props, config={"secretNamePatterns": ["LICENSE"]})) == 1
    )
