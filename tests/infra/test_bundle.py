"""The drift check's package: deterministic bytes, the sources and the wheel inside."""

from __future__ import annotations

import zipfile
from pathlib import Path

from infra import bundle


def fake_root(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "lambdas" / "drift").mkdir(parents=True)
    (root / "lambdas" / "__init__.py").write_text("")
    (root / "lambdas" / "drift" / "handler.py").write_text("def handler(e, c): ...\n")
    wheels = root / "build" / "wheels"
    wheels.mkdir(parents=True)
    wheel = wheels / "numpy-2.2.6-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("numpy/__init__.py", "version = '2.2.6'\n")
    return root


def test_the_package_holds_the_sources_and_the_wheel_with_fixed_metadata(tmp_path: Path) -> None:
    built = bundle.drift_bundle(fake_root(tmp_path))
    with zipfile.ZipFile(built.path) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == [
        "lambdas/__init__.py", "lambdas/drift/handler.py", "numpy/__init__.py",
    ]  # fmt: skip
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert built.ships[1].startswith("numpy-2.2.6-cp312")


def test_two_builds_give_the_same_bytes_and_a_change_gives_new_ones(tmp_path: Path) -> None:
    root = fake_root(tmp_path)
    first = bundle.drift_bundle(root)
    first.path.unlink()
    again = bundle.drift_bundle(root)
    assert again.sha256 == first.sha256
    (root / "lambdas" / "drift" / "handler.py").write_text("def handler(e, c): return 1\n")
    assert bundle.drift_bundle(root).sha256 != first.sha256
