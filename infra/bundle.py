"""The drift check's Lambda package: `lambdas/drift` and numpy, as a deterministic zip.

numpy ships inside the package (no layer): the manylinux2014 x86_64 wheel for CPython 3.12 is
fetched once with `pip download` into `build/wheels/` and unpacked into the zip. Entries are
sorted and carry a fixed timestamp and mode, so the same sources and wheel give the same bytes,
the same `CodeSha256`, and no update. The zip is cached in `build/lambda/` under a key of its
inputs.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

NUMPY = "numpy==2.2.6"
"""The numpy the Lambda runs; inside `numpy>=2.0,<3` that the handler is tested with."""
PLATFORM = "manylinux2014_x86_64"
PYTHON_VERSION = "3.12"
"""Matches the function's runtime (python3.12) and architecture (x86_64)."""
PACKAGES = ("lambdas/__init__.py", "lambdas/drift")
"""What of the repository the package holds, as paths from its root."""
_EPOCH = (1980, 1, 1, 0, 0, 0)
_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Bundle:
    """A built package: where it is, its Lambda hash, and what it ships."""

    path: Path
    sha256: str
    """Base64 SHA-256, as Lambda's `CodeSha256`."""
    ships: tuple[str, ...]


def _sources(root: Path) -> list[tuple[str, Path]]:
    files: list[tuple[str, Path]] = []
    for entry in PACKAGES:
        path = root / entry
        found = [path] if path.is_file() else sorted(path.rglob("*.py"))
        files += [(f.relative_to(root).as_posix(), f) for f in found]
    return sorted(files)


def numpy_wheel(cache: Path) -> Path:
    """The pinned numpy wheel for the Lambda's platform, downloaded into `cache` once."""
    version = NUMPY.split("==")[1]
    tag = "cp" + PYTHON_VERSION.replace(".", "")
    pattern = f"numpy-{version}-{tag}-{tag}-*{PLATFORM}*.whl"
    found = sorted(cache.glob(pattern))
    if not found:
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                "--only-binary=:all:", "--platform", PLATFORM, "--python-version",
                PYTHON_VERSION, "--dest", str(cache), NUMPY,
            ],
            check=True,
        )  # fmt: skip
        found = sorted(cache.glob(pattern))
    return found[0]


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_zip(target: Path, sources: list[tuple[str, Path]], wheel: Path) -> None:
    """Write the package: the sources, then the wheel's files, every entry sorted and fixed."""
    entries: dict[str, bytes] = {name: path.read_bytes() for name, path in sources}
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if not name.endswith("/"):
                entries[name] = archive.read(name)
    with zipfile.ZipFile(target, "w") as out:
        for name in sorted(entries):
            out.writestr(_entry(name), entries[name], compresslevel=6)


def drift_bundle(root: Path = _ROOT) -> Bundle:
    """Build (or reuse) the drift check's package under `root/build`."""
    wheel = numpy_wheel(root / "build" / "wheels")
    sources = _sources(root)
    key = hashlib.sha256(wheel.name.encode())
    for name, path in sources:
        key.update(name.encode() + b"\0" + path.read_bytes())
    target = root / "build" / "lambda" / f"drift-{key.hexdigest()[:16]}.zip"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".tmp", delete=False) as tmp:
            partial = Path(tmp.name)
        write_zip(partial, sources, wheel)
        os.replace(partial, target)  # atomic: parallel previews never see half a zip
    digest = base64.b64encode(hashlib.sha256(target.read_bytes()).digest()).decode()
    ships = ("lambdas/drift", f"{wheel.name.removesuffix('.whl')}")
    return Bundle(target, digest, ships)
