"""Shared fixtures: a fresh mock runtime per program run, recording every registration."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mlops_platform.testing import Registry, policy_document, run_program, statement

__all__ = ["PROJECT_ROOT", "RunProgram", "policy", "run", "statement"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent

RunProgram = Callable[..., Registry]


@pytest.fixture
def run() -> RunProgram:
    """Run a program under a fresh mock runtime; returns what it registered.

    Every call resets the runtime first, and any invoke the mocks do not know fails the run.
    """
    return run_program


policy = policy_document
"""Tests say `policy(role_policy)`; the library's name for it is `policy_document`."""
