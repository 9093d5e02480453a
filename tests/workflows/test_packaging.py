"""The handlers' code archives."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mlops_platform.components.workflows import dependencies
from mlops_platform.components.workflows.packaging import build_archive

LAMBDAS = Path(__file__).resolve().parents[2] / "lambdas"


@pytest.mark.parametrize(
    "handler",
    ["gate", "verify", "rollback_trigger", "lock", "ledger", "release", "intake", "approval"],
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


def test_verify_ships_the_kubernetes_client_and_all_it_needs_pure_python(tmp_path: Path) -> None:
    archive = build_archive(LAMBDAS, "verify")
    names = set(archive.files)
    assert {"kubernetes/client/api/custom_objects_api.py", "urllib3/__init__.py",
            "yaml/__init__.py", "lambdas/verify/kube.py"} <= names  # fmt: skip
    assert not [n for n in names if n.endswith((".so", ".pyd", ".pyc"))]
    assert any(d.startswith("kubernetes==35.") for d in archive.distributions)
    assert not any(d.startswith(("boto3==", "botocore==")) for d in archive.distributions)
    zipfile.ZipFile(io.BytesIO(archive.content)).extractall(tmp_path)
    # -I -S: no site-packages, only the standard library and the archive, as on Lambda
    # (where boto3 comes with the runtime, so the handler module itself is not imported here).
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import kubernetes.client, yaml, lambdas.verify.kube as k; "
        "assert kubernetes.__file__.startswith(sys.argv[1]), kubernetes.__file__; "
        "print(k.RolloutReader.__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", probe, str(tmp_path)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert (done.returncode, done.stdout.strip()) == (0, "RolloutReader"), done.stderr


def test_other_handlers_ship_no_third_party_code() -> None:
    archive = build_archive(LAMBDAS, "gate")
    assert archive.distributions == ()
    assert all(name.startswith("lambdas/") for name in archive.files)


def test_a_compiled_module_without_a_fallback_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dependencies, "OPTIONAL_NATIVE", frozenset())
    dependencies.distribution_files.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"ships the compiled module .*\.so, which cannot be"):
            dependencies.distribution_files(("kubernetes",))
    finally:
        dependencies.distribution_files.cache_clear()


def test_a_missing_distribution_is_refused() -> None:
    with pytest.raises(ValueError, match=r"distribution 'not-installed-here' is not installed"):
        dependencies.required_closure(["not-installed-here"])
