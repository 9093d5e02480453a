"""The deploy buildspec, run: the commands each kind of target gets, with a recording `pulumi`.

The pre_build and build phases run in bash as CodeBuild runs them (one shell, in order, a
failing command ends the build); `pulumi` is a stub on PATH that records its directory and
arguments (and fails with 7 when `PULUMI_FAILS` is `<dir> <command>`). The install phase
(downloads) is not run.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.delivery.conftest import buildspec

STUB = """#!/bin/sh
echo "$(basename "$PWD") $*" >> "$PULUMI_LOG"
[ "$(basename "$PWD") $1" != "${PULUMI_FAILS:-}" ] || exit 7
"""
PLATFORM_UP = (
    "repo up --yes --non-interactive --diff --policy-pack policies --policy-pack-config "
    "policies/config/prod.json --message release by CodeBuild build-1"
)
SERVING = [
    "serving stack select --create prod --non-interactive",
    "serving up --yes --non-interactive --diff --stack prod --policy-pack ../policies "
    "--policy-pack-config ../policies/config/prod.json --message release of fraud-scorer by "
    "CodeBuild build-1",
]


def run(tmp_path: Path, **variables: str) -> tuple[int, list[str], str]:
    """Run the deploy's pre_build and build commands; the exit code, pulumi's calls, stdout."""
    document = buildspec("deploy")
    commands = [*document["phases"]["pre_build"]["commands"],
                *document["phases"]["build"]["commands"]]  # fmt: skip
    (tmp_path / "bin").mkdir()
    stub = tmp_path / "bin" / "pulumi"
    stub.write_text(STUB)
    stub.chmod(0o755)
    repo = tmp_path / "repo"
    (repo / "serving").mkdir(parents=True)
    log = tmp_path / "pulumi.log"
    env = {"PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}", "PULUMI_LOG": str(log),
           "CODEBUILD_BUILD_ID": "build-1", **variables}  # fmt: skip
    script = "set -e\n" + "\n".join(commands)
    done = subprocess.run(
        ["bash", "-c", script], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return done.returncode, calls, done.stdout


def test_an_endpoint_gets_the_platform_layer_only(tmp_path: Path) -> None:
    code, calls, out = run(tmp_path, STACK="prod", MLOPS_TARGET="fraud-detector",
                           SERVICE_TARGETS="fraud-scorer churn-ranker")  # fmt: skip
    assert code == 0
    assert calls == ["repo stack select prod --non-interactive", PLATFORM_UP]
    assert "target fraud-detector is a endpoint" in out


def test_a_service_gets_the_serving_layer_after_the_platform_layer(tmp_path: Path) -> None:
    code, calls, out = run(tmp_path, STACK="prod", MLOPS_TARGET="fraud-scorer",
                           SERVICE_TARGETS="churn-ranker fraud-scorer",
                           PULUMI_BACKEND_URL="s3://acme-state")  # fmt: skip
    assert code == 0
    assert calls == [
        "repo login s3://acme-state",
        "repo stack select prod --non-interactive",
        PLATFORM_UP,
        *SERVING,
    ]
    assert "target fraud-scorer is a service" in out


@pytest.mark.parametrize("target", ["fraud", "fraud-scorer-2", ""])
def test_only_a_listed_name_is_a_service(tmp_path: Path, target: str) -> None:
    code, calls, _ = run(tmp_path, STACK="prod", MLOPS_TARGET=target,
                         SERVICE_TARGETS="fraud-scorer")  # fmt: skip
    assert (code, calls) == (0, ["repo stack select prod --non-interactive", PLATFORM_UP])


def test_a_failed_platform_up_applies_no_serving_layer(tmp_path: Path) -> None:
    code, calls, _ = run(tmp_path, STACK="prod", MLOPS_TARGET="fraud-scorer",
                         SERVICE_TARGETS="fraud-scorer", PULUMI_FAILS="repo up")  # fmt: skip
    assert code == 7
    assert calls == ["repo stack select prod --non-interactive", PLATFORM_UP]


def test_a_failed_serving_up_fails_the_build(tmp_path: Path) -> None:
    code, calls, _ = run(tmp_path, STACK="prod", MLOPS_TARGET="fraud-scorer",
                         SERVICE_TARGETS="fraud-scorer",
                         PULUMI_FAILS="serving up")  # fmt: skip
    assert code == 7
    assert calls == ["repo stack select prod --non-interactive", PLATFORM_UP, *SERVING]


def test_an_unknown_stack_applies_nothing(tmp_path: Path) -> None:
    code, calls, out = run(tmp_path, STACK="qa", MLOPS_TARGET="fraud-scorer",
                           SERVICE_TARGETS="fraud-scorer")  # fmt: skip
    assert (code, calls) == (1, [])
    assert "STACK must be dev, staging or prod" in out
