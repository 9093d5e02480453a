"""The handlers' code archives."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from mlops_platform.components.workflows.packaging import build_archive

LAMBDAS = Path(__file__).resolve().parents[2] / "lambdas"


@pytest.mark.parametrize(
    "handler", ["gate", "verify", "rollback_trigger", "lock", "ledger", "release", "intake"]
)
def test_archive_holds_the_handler_and_the_shared_code(handler: str) -> None:
    archive = build_archive(LAMBDAS, handler)
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert f"lambdas/{handler}/handler.py" in names
    assert {"lambdas/__init__.py", "lambdas/common/__init__.py", "lambdas/common/events.py"} <= set(
        names
    )
    assert names == list(archive.files)
    assert archive.entry_point == f"lambdas.{handler}.handler.handler"
    assert not any(
        "__pycache__" in n or n.startswith("lambdas/training/")
        for n in names
        if handler != "training"
    )


def test_archive_is_deterministic_and_small() -> None:
    first, second = build_archive(LAMBDAS, "gate"), build_archive(LAMBDAS, "gate")
    assert first.content == second.content
    assert first.sha256 == second.sha256
    assert "lambdas/verify/handler.py" not in first.files
    assert len(first.source_code_hash) == 44


def test_intake_ships_the_gate_criteria_it_imports() -> None:
    assert "lambdas/gate/decide.py" in build_archive(LAMBDAS, "intake").files


def test_unknown_handler_is_refused() -> None:
    with pytest.raises(ValueError, match=r"handler = 'nope': no lambdas/nope/handler\.py"):
        build_archive(LAMBDAS, "nope")
