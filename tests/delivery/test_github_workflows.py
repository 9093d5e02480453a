"""GitHub workflows: actions pinned by commit, AWS only through the OIDC roles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


def load(name: str) -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return document


def steps(document: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("name", sorted(path.name for path in WORKFLOWS.glob("*.yml")))
def test_every_action_is_pinned_by_commit(name: str) -> None:
    uses = [step["uses"] for step in steps(load(name)) if "uses" in step]
    assert [ref for ref in uses if not PINNED.match(ref)] == []


@pytest.mark.parametrize("name", sorted(path.name for path in WORKFLOWS.glob("*.yml")))
def test_no_static_aws_keys(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    assert "aws-access-key-id" not in text
    assert "AWS_SECRET_ACCESS_KEY" not in text


def test_pull_requests_get_the_read_only_role() -> None:
    job = load("pull-request.yml")["jobs"]["pulumi-preview"]
    assert job["env"]["AWS_ROLE_TO_ASSUME"] == "${{ vars.AWS_PULL_REQUEST_ROLE_ARN }}"
    assert job["permissions"]["id-token"] == "write"
    assert "environment" not in job  # the token's subject stays repo:ORG/REPO:pull_request


def test_each_stack_deploys_as_its_environment_in_order() -> None:
    jobs = load("deploy.yml")["jobs"]
    chain = [
        (name, jobs[name]["needs"], jobs[name]["with"]["stack"])
        for name in ("dev", "staging", "prod")
    ]
    assert chain == [
        ("dev", "test", "dev"),
        ("staging", "dev", "staging"),
        ("prod", "staging", "prod"),
    ]
    assert {jobs[name]["uses"] for name in ("dev", "staging", "prod")} == {
        "./.github/workflows/pulumi-up.yml"
    }


def test_the_deploy_job_assumes_its_environments_role() -> None:
    job = load("pulumi-up.yml")["jobs"]["up"]
    assert job["environment"] == "${{ inputs.stack }}"
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    credentials = next(
        step for step in job["steps"] if step.get("uses", "").startswith("aws-actions/")
    )
    assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
    pulumi = next(step for step in job["steps"] if step.get("uses", "").startswith("pulumi/"))
    assert pulumi["with"]["command"] == "up"
    assert pulumi["with"]["policyPackConfigs"] == "policies/config/${{ inputs.stack }}.json"
