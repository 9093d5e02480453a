"""The `mlops` command's policy hooks: `policy-check`, and `preview` with and without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_platform.cli import main
from tests.mlops_platform.plans import resource, write_plan

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_ADVISORY = "ADVISORY aws-sagemaker-endpoint-safe-rollout"
"""dev takes new versions all at once on purpose; the check reports it as advisory."""


def test_policy_check_exits_1_on_a_mandatory_violation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ssh = {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0"}
    rule = resource("dev", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh", ssh)
    plan = write_plan(tmp_path / "dev.json", "dev", [rule])
    assert main(["policy-check", str(plan), "--format", "json"]) == 1
    assert '"policy": "aws-ec2-security-group-no-public-admin-ingress"' in capsys.readouterr().out


def test_preview_runs_the_check_after_each_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["preview", "--stack", "dev", "--out", str(tmp_path), "--project-dir", str(PROJECT_ROOT)]
    assert main(args) == 0
    assert DEV_ADVISORY in capsys.readouterr().out


def test_preview_without_the_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["preview", "--stack", "dev", "--out", str(tmp_path), "--project-dir", str(PROJECT_ROOT)]
    assert main([*args, "--no-policy"]) == 0
    assert DEV_ADVISORY not in capsys.readouterr().out
    assert (tmp_path / "dev.json").is_file()


def test_policy_check_via_the_analyzer_reports_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ssh = {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0"}
    rule = resource("dev", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh", ssh)
    plan = write_plan(tmp_path / "dev.json", "dev", [rule])
    assert main(["policy-check", str(plan), "--format", "json"]) == 1
    here = capsys.readouterr().out
    assert main(["policy-check", str(plan), "--format", "json", "--via-analyzer"]) == 1
    assert capsys.readouterr().out == here
    assert '"policy": "aws-ec2-security-group-no-public-admin-ingress"' in here
