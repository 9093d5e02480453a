"""The buildspecs are real CodeBuild files: they parse, have their phases, and hold no secret."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest
import yaml

from mlops_platform.components.delivery.pipeline_spec import BUILDSPECS as BUILDSPEC_NAMES
from mlops_platform.components.delivery.pipeline_spec import buildspec as buildspec_text
from tests.delivery.conftest import BUILDSPECS, buildspec

PHASES = {
    "build": {"pre_build", "build", "post_build"},
    "test": {"install", "build", "post_build"},
    "integration": {"install", "build"},
    "deploy": {"install", "pre_build", "build"},
}
SECRET_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|PASSPHRASE|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY")
SECRET_VALUE = re.compile(
    r"AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY|gh[pousr]_[A-Za-z0-9]{20,}|pul-[0-9a-f]{40}"
)


def plaintext_secrets(document: Mapping[str, Any]) -> list[str]:
    """Plain `env.variables` entries that look like secrets, by name or by value."""
    variables = (document.get("env") or {}).get("variables") or {}
    return [
        name
        for name, value in variables.items()
        if SECRET_NAME.search(name) or SECRET_VALUE.search(str(value))
    ]


def test_every_buildspec_is_checked() -> None:
    assert {path.stem for path in BUILDSPECS.glob("*.yml")} == set(PHASES) == set(BUILDSPEC_NAMES)


@pytest.mark.parametrize(("name", "phases"), sorted(PHASES.items()))
def test_buildspec_parses_with_its_phases(name: str, phases: set[str]) -> None:
    document = buildspec(name)
    assert document["version"] == 0.2
    assert set(document["phases"]) == phases
    for phase in phases:
        commands = document["phases"][phase]["commands"]
        assert commands, f"{name}.{phase} has no commands"
        assert all(isinstance(command, str) and command.strip() for command in commands)
        assert document["phases"][phase]["on-failure"] == "ABORT"


@pytest.mark.parametrize("name", sorted(PHASES))
def test_no_plaintext_secrets(name: str) -> None:
    assert plaintext_secrets(buildspec(name)) == []


@pytest.mark.parametrize(
    "variables",
    [
        {"PULUMI_ACCESS_TOKEN": "x"},
        {"DB_PASSWORD": "x"},
        {"KEY": "AKIAABCDEFGHIJKLMNOP"},
        {"TOKEN_FOR_GIT": "x"},
        {"DEPLOY": "pul-" + "a" * 40},
    ],
)
def test_the_secret_check_catches_plain_secrets(variables: dict[str, str]) -> None:
    assert plaintext_secrets({"env": {"variables": variables}}) == list(variables)


def test_deploy_reads_the_pulumi_token_from_secrets_manager() -> None:
    env = buildspec("deploy")["env"]
    assert env["secrets-manager"] == {"PULUMI_ACCESS_TOKEN": "mlops/pulumi-access-token"}
    build = " ".join(buildspec("deploy")["phases"]["build"]["commands"])
    assert "pulumi up --yes --non-interactive" in build
    assert '--policy-pack-config "policies/config/$STACK.json"' in build


def test_build_exports_the_image_by_digest() -> None:
    document = buildspec("build")
    assert document["env"]["exported-variables"] == ["IMAGE_URI", "IMAGE_TAG", "IMAGE_DIGEST"]
    assert document["artifacts"]["files"] == ["image.json"]
    commands = "\n".join(document["phases"]["build"]["commands"])
    assert 'docker push "$IMAGE_URI:$IMAGE_TAG"' in commands
    assert 'IMAGE_TAG="$COMMIT_ID"' in document["phases"]["pre_build"]["commands"]
    digest = "\n".join(document["phases"]["post_build"]["commands"])
    assert "imageDetails[0].imageDigest" in digest


def test_test_stage_runs_the_configured_commands() -> None:
    commands = buildspec("test")["phases"]["build"]["commands"]
    assert 'bash "$TESTS_SCRIPT"' in commands
    assert any("$TEST_COMMANDS" in command for command in commands)


def test_the_shipped_text_is_the_file() -> None:
    for name in BUILDSPEC_NAMES:
        assert yaml.safe_load(buildspec_text(name)) == buildspec(name)
    with pytest.raises(ValueError, match="no buildspec 'lint'; the buildspecs are build, test"):
        buildspec_text("lint")
