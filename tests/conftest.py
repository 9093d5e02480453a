"""Shared fixtures: a fresh mock runtime per program run, recording every registration."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mlops_platform.recorder import Registration, Registry, run_program

PROJECT_ROOT = Path(__file__).resolve().parent.parent

RunProgram = Callable[..., Registry]


@pytest.fixture
def run() -> RunProgram:
    """Run a program under a fresh mock runtime; returns what it registered.

    Every call resets the runtime first, and any invoke the mocks do not know fails the run.
    """
    return run_program


def policy(registration: Registration, key: str = "policy") -> dict[str, Any]:
    """Parse the JSON policy document held in one of a resource's inputs."""
    document: dict[str, Any] = json.loads(registration.inputs[key])
    return document


def statement(document: dict[str, Any], sid: str) -> dict[str, Any]:
    """The statement of a policy document with the given Sid."""
    found: list[dict[str, Any]] = [s for s in document["Statement"] if s.get("Sid") == sid]
    assert len(found) == 1, f"expected one statement {sid!r} in {document}"
    return found[0]
