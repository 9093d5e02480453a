"""The pull-request workflow runs the tests, the offline policy check and, with credentials,
`pulumi preview` with the pack for every stack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "pull-request.yml"


def load() -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return document


def commands(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_it_runs_on_pull_requests() -> None:
    assert "pull_request" in load()[True]  # YAML reads the key `on` as True


def test_it_tests_and_checks_every_stack_offline() -> None:
    job = load()["jobs"]["test"]
    assert commands(job) == ["make setup", "make test", ".venv/bin/mlops preview --stack all"]


def test_it_previews_every_stack_with_the_pack_only_with_credentials() -> None:
    job = load()["jobs"]["pulumi-preview"]
    assert job["strategy"]["matrix"]["stack"] == ["dev", "staging", "prod"]
    pulumi = next(
        step for step in job["steps"] if step.get("uses", "").startswith("pulumi/actions@")
    )
    assert pulumi["with"] == {
        "command": "preview",
        "stack-name": "${{ matrix.stack }}",
        "comment-on-pr": True,
        "policyPacks": "policies",
        "policyPackConfigs": "policies/config/${{ matrix.stack }}.json",
    }
    guard = "env.PULUMI_ACCESS_TOKEN != '' && env.AWS_ROLE_TO_ASSUME != ''"
    assert all(step["if"] == guard for step in job["steps"][1:])
    assert job["env"]["PULUMI_ACCESS_TOKEN"] == "${{ secrets.PULUMI_ACCESS_TOKEN }}"
