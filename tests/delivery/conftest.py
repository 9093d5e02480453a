"""Fixtures for the delivery plane's pure modules and buildspecs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

BUILDSPECS = Path(__file__).resolve().parents[2] / "components" / "delivery" / "buildspecs"


def buildspec(name: str) -> dict[str, Any]:
    """One buildspec file, parsed."""
    document: dict[str, Any] = yaml.safe_load((BUILDSPECS / f"{name}.yml").read_text())
    return document


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and a region, so boto3 talks only to moto."""
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    }.items():
        monkeypatch.setenv(key, value)
