"""Bad delivery settings get every problem at once, each naming the field, value and rule."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from typing import Any

import pytest

from mlops_platform.components.delivery.args import (
    DeliverySettings,
    check_delivery,
    ref_name_error,
)

APPROVER = "arn:aws:iam::111111111111:role/releaser"
PROD = DeliverySettings(
    environment="prod",
    repository="acme/fraud-model",
    branch="main",
    build_image="aws/codebuild/standard:7.0",
    compute_type="BUILD_GENERAL1_MEDIUM",
    test_commands=["pytest -q"],
    approval=True,
    alarm_rollback=True,
    approvers=[APPROVER],
    subscribers=["ml-oncall@example.com"],
)
COMPUTE = (
    "allowed: BUILD_GENERAL1_SMALL, BUILD_GENERAL1_MEDIUM, BUILD_GENERAL1_LARGE, "
    "BUILD_GENERAL1_XLARGE, BUILD_GENERAL1_2XLARGE"
)


def messages(**overrides: Any) -> list[str]:
    return [str(problem) for problem in check_delivery(replace(PROD, **overrides))]


def test_good_prod_settings_pass() -> None:
    assert messages() == []


def test_dev_may_skip_approval_and_rollback() -> None:
    assert messages(environment="dev", approval=False, alarm_rollback=False, approvers=[]) == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"repository": "fraud-model"},
         ["repository = 'fraud-model': must be owner/name, e.g. acme/fraud-model "
          "(letters, digits, -_.)"]),
        ({"repository": "acme/fraud/model"},
         ["repository = 'acme/fraud/model': must be owner/name, e.g. acme/fraud-model "
          "(letters, digits, -_.)"]),
        ({"repository": "-acme/x"},
         ["repository = '-acme/x': must be owner/name, e.g. acme/fraud-model "
          "(letters, digits, -_.)"]),
        ({"branch": "release/*"},
         ["branch = 'release/*': may not contain spaces, control characters or any of "
          "~ ^ : ? * [ \\ (git check-ref-format)"]),
        ({"branch": "feature..x"},
         ["branch = 'feature..x': may not contain '..', '//' or '@{' (git check-ref-format)"]),
        ({"branch": "topic.lock"},
         ["branch = 'topic.lock': no part between slashes may start with '.' or end with "
          "'.lock' (git check-ref-format)"]),
        ({"branch": ""}, ["branch = '': is not a branch name (git check-ref-format)"]),
        ({"build_image": "ubuntu:latest"},
         ["build_image = 'ubuntu:latest': must be aws/codebuild/<image>:<major>.<minor> or an "
          "ECR image with a tag or digest"]),
        ({"build_image": "111111111111.dkr.ecr.us-east-1.amazonaws.com/builder:latest"},
         ["build_image = '111111111111.dkr.ecr.us-east-1.amazonaws.com/builder:latest': pin a "
          "tag or digest, not 'latest'"]),
        ({"compute_type": "BUILD_LAMBDA_1GB"}, [f"compute_type = 'BUILD_LAMBDA_1GB': {COMPUTE}"]),
        ({"test_commands": []}, ["test_commands = []: needs at least one command"]),
        ({"test_commands": ["pytest", "  "]}, ["test_commands[1] = '  ': must not be blank"]),
        ({"approval": False},
         ["approval = False: prod must have a manual approval before deploy"]),
        ({"alarm_rollback": False},
         ["alarm_rollback = False: prod must roll back when the endpoint's alarm fires"]),
        ({"approvers": []},
         ["approvers = []: prod has a manual approval, so name at least one approver"]),
        ({"approvers": ["arn:aws:iam::111111111111:role/*"]},
         ["approvers[0] = 'arn:aws:iam::111111111111:role/*': must be an IAM role or user "
          "ARN, no wildcards"]),
        ({"subscribers": ["oncall"]},
         ["subscribers[0] = 'oncall': must be an e-mail address"]),
    ],
)  # fmt: skip
def test_bad_settings(overrides: dict[str, Any], expected: list[str]) -> None:
    assert messages(**overrides) == expected


def test_every_problem_is_reported_at_once() -> None:
    found = messages(repository="x", branch="-x", test_commands=[], approval=False, approvers=[])
    assert [line.split(" = ")[0] for line in found] == [
        "repository",
        "branch",
        "test_commands",
        "approval",
    ]


def test_a_dev_approval_still_needs_an_approver() -> None:
    assert messages(environment="dev", approvers=[]) == [
        "approvers = []: dev has a manual approval, so name at least one approver"
    ]


@pytest.mark.parametrize(
    "branch", ["main", "release/2026.12", "feature/fraud-v2", "users/ana/fix_1"]
)
def test_real_branch_names_pass(branch: str) -> None:
    assert ref_name_error(branch) is None


@pytest.mark.parametrize(
    "branch",
    ["HEAD", "@", "a b", "a~1", "a^", "a:b", "a?", "a[1]", "a\\b", "/a", "a/", "a.", ".a", "a//b",
     "a@{1}", "-a", "a/.b", "x\x07"],
)  # fmt: skip
def test_names_git_rejects_fail(branch: str) -> None:
    assert ref_name_error(branch) is not None


GIT_CASES = ["main", "release/2026.12", "a b", "a~1", "a:b", "a[1]", "/a", "a.", ".a", "a//b",
             "a@{1}", "-a", "a/.b", "topic.lock", "feature..x", "release/*"]  # fmt: skip


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_rules_agree_with_git() -> None:
    for branch in GIT_CASES:
        done = subprocess.run(
            ["git", "check-ref-format", "--branch", branch], capture_output=True, check=False
        )
        assert (done.returncode == 0) == (ref_name_error(branch) is None), branch
