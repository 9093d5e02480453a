"""Shared fixtures: a fresh mock runtime per program run, recording every registration."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from mlops_platform.preview.project import PulumiProject
from mlops_platform.preview.stack import Progress, StackPreview, preview_stack
from mlops_platform.testing import Registry, policy_document, run_program, statement

__all__ = ["COMMITTED_STACKS", "PROJECT_ROOT", "RunProgram", "policy", "run", "statement"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
COMMITTED_STACKS = ("dev", "staging", "prod")

RunProgram = Callable[..., Registry]

# Properties, not timings: the suite runs on two busy workers (and per mutant under mutmut), where
# Hypothesis's per-example deadline and its too-slow check would fail on load, not on behaviour.
settings.register_profile(
    "suite", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("suite")


@pytest.fixture
def run() -> RunProgram:
    """Run a program under a fresh mock runtime; returns what it registered.

    Every call resets the runtime first, and any invoke the mocks do not know fails the run.
    """
    return run_program


policy = policy_document
"""Tests say `policy(role_policy)`; the library's name for it is `policy_document`."""


@pytest.fixture(scope="session")
def committed_previews(tmp_path_factory: pytest.TempPathFactory) -> dict[str, StackPreview]:
    """Each committed stack previewed once per session (per worker), its plan in a temp dir.

    Shared by every test that reads the committed stacks; none may change what it returns.
    """
    project = PulumiProject.load(PROJECT_ROOT)
    out = tmp_path_factory.mktemp("committed-plans")
    progress = Progress(io.StringIO())
    return {stack: preview_stack(project, stack, out, progress) for stack in COMMITTED_STACKS}
