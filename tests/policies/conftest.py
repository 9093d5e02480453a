"""Plans of the committed stacks, previewed once per test session by the real program."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mlops_platform.preview.stack import StackPreview


@pytest.fixture(scope="session")
def committed_plan_paths(committed_previews: dict[str, StackPreview]) -> dict[str, Path]:
    """`build/plan/<stack>.json` of each committed stack, written to a temporary directory."""
    return {stack: preview.plan_path for stack, preview in committed_previews.items()}


@pytest.fixture(scope="session")
def committed_plans(committed_plan_paths: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """The committed stacks' plans as JSON documents."""
    return {stack: json.loads(path.read_text()) for stack, path in committed_plan_paths.items()}
