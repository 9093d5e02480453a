"""The scripts inside the buildspecs run: the quality check and the staging integration test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sagemakerruntime.models import sagemakerruntime_backends

from tests.delivery.conftest import buildspec

QUALITY = buildspec("test")["env"]["variables"]["QUALITY_CHECK"]
INTEGRATION = buildspec("integration")["env"]["variables"]["INTEGRATION_CHECK"]


@pytest.mark.parametrize(("auc", "code"), [(0.91, 0), (0.9, 0), (0.89, 1)])
def test_quality_check_compares_the_metric_with_its_minimum(
    tmp_path: Path, auc: float, code: int
) -> None:
    statistics = {"binary_classification_metrics": {"auc": {"value": auc}}}
    (tmp_path / "model-quality.json").write_text(json.dumps(statistics))
    env = {
        "QUALITY_METRIC": "binary_classification_metrics.auc.value",
        "QUALITY_MINIMUM": "0.9",
    }
    done = subprocess.run(
        [sys.executable, "-c", QUALITY], cwd=tmp_path, env=env, capture_output=True, check=False
    )
    assert done.returncode == code
    assert f"binary_classification_metrics.auc.value = {auc} (minimum 0.9)" in done.stdout.decode()


def run_integration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str, budget: str = "10000"
) -> int:
    """Run the integration script on moto, the endpoint answering `answer`; its exit code."""
    cases = [
        {"name": "fraud", "body": {"amount": 9000}, "expected": {"score": 0.8}, "tolerance": 0.05}
    ]
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    monkeypatch.setenv("CASES_FILE", str(tmp_path / "cases.json"))
    monkeypatch.setenv("ENDPOINT_NAME", "fraud-staging")
    monkeypatch.setenv("LATENCY_BUDGET_MS", budget)
    monkeypatch.setenv("REPEATS", "3")
    monkeypatch.delenv("ASSUME_ROLE_ARN", raising=False)
    with mock_aws():
        backend = sagemakerruntime_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
        backend.results_queue.append((answer, "application/json", "AllTraffic", ""))
        boto3.setup_default_session()
        with pytest.raises(SystemExit) as exit_:
            exec(compile(INTEGRATION, "integration.yml", "exec"), {"__name__": "__main__"})
    return int(exit_.value.code or 0)


@pytest.mark.usefixtures("aws_env")
def test_integration_passes_on_the_right_answer_in_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_integration(tmp_path, monkeypatch, '{"score": 0.78}') == 0
    assert "1 cases on fraud-staging: p95 latency" in capsys.readouterr().out


@pytest.mark.usefixtures("aws_env")
def test_integration_fails_on_a_wrong_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_integration(tmp_path, monkeypatch, '{"score": 0.2}') == 1
    assert "FAIL fraud: expected {'score': 0.8}, got {'score': 0.2}" in capsys.readouterr().out


@pytest.mark.usefixtures("aws_env")
def test_integration_fails_over_the_latency_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_integration(tmp_path, monkeypatch, '{"score": 0.8}', budget="0") == 1
    assert "is over the budget of 0.0 ms" in capsys.readouterr().out
