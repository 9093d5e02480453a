"""Plans of the committed stacks, previewed once per test session by the real program."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from mlops_platform.preview.project import PulumiProject
from mlops_platform.preview.stack import Progress, preview_stack

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STACKS = ("dev", "staging", "prod")


@pytest.fixture(scope="session")
def committed_plan_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`build/plan/<stack>.json` of each committed stack, written to a temporary directory."""
    project = PulumiProject.load(PROJECT_ROOT)
    out = tmp_path_factory.mktemp("plans")
    progress = Progress(io.StringIO())
    return {stack: preview_stack(project, stack, out, progress).plan_path for stack in STACKS}


@pytest.fixture(scope="session")
def committed_plans(committed_plan_paths: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """The committed stacks' plans as JSON documents."""
    return {stack: json.loads(path.read_text()) for stack, path in committed_plan_paths.items()}
