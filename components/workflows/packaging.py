"""Deterministic code archives of the Lambda handlers.

A handler's archive holds `lambdas/__init__.py`, `lambdas/common/` and the handler's own
package, so the function's handler setting is `lambdas.<name>.handler.handler`. boto3 comes
with the Lambda Python runtime and is not shipped. A handler that needs another library names
its distribution in `DISTRIBUTIONS`; the archive then holds that distribution and everything it
requires, copied from the environment that builds the plan (see `_dependencies.py`), pure
Python only. Entries are sorted and stamped with a fixed time and mode, so the same sources
(and the same installed versions) give the same bytes and the same sha256 on every machine.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from mlops_platform.components.workflows.dependencies import distribution_files, pinned

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
"""Timestamp of every entry (the earliest a zip can hold)."""

SHARED = ("common",)
"""Packages every handler ships besides its own."""

# Several handlers import pure logic of another area (intake checks the gate's criteria).
EXTRA_PACKAGES: dict[str, tuple[str, ...]] = {"intake": ("gate",)}
"""Further packages a handler needs, by handler."""

DISTRIBUTIONS: dict[str, tuple[str, ...]] = {"verify": ("kubernetes",)}
"""Third-party distributions a handler ships (with what they require), by handler: the
verifier reads Argo Rollouts through the official Kubernetes client."""


@dataclass(frozen=True)
class Archive:
    """One function's code."""

    handler: str
    """Handler package name (`gate`)."""
    entry_point: str
    """The function's handler setting (`lambdas.gate.handler.handler`)."""
    content: bytes
    """The zip file."""
    sha256: str
    """Hex digest of `content`."""
    files: tuple[str, ...]
    """Paths inside the archive, sorted."""
    distributions: tuple[str, ...] = ()
    """Third-party distributions shipped, as `name==version`, sorted by name."""

    @property
    def source_code_hash(self) -> str:
        """Base64 of the SHA-256, the form Lambda's `source_code_hash` compares."""
        return base64.b64encode(hashlib.sha256(self.content).digest()).decode()


def _sources(root: Path, package: str) -> list[Path]:
    directory = root / package
    if not (directory / "__init__.py").is_file():
        raise ValueError(f"handler = {package!r}: {directory} is not a package of lambdas/")
    return [p for p in directory.rglob("*.py") if "__pycache__" not in p.parts]


def build_archive(lambdas_root: Path, handler: str) -> Archive:
    """Zip the handler's package with the shared code, deterministically.

    Args:
        lambdas_root: The `lambdas/` directory.
        handler: Name of the handler package (must contain `handler.py`).

    Raises:
        ValueError: when the package or its `handler.py` is missing, or a distribution it
            ships is not installed or needs a native module.
    """
    if not (lambdas_root / handler / "handler.py").is_file():
        raise ValueError(f"handler = {handler!r}: no lambdas/{handler}/handler.py")
    paths = [lambdas_root / "__init__.py"]
    for package in (*SHARED, handler, *EXTRA_PACKAGES.get(handler, ())):
        paths.extend(_sources(lambdas_root, package))
    entries = {f"lambdas/{p.relative_to(lambdas_root).as_posix()}": p for p in paths}
    entries.update(distribution_files(DISTRIBUTIONS.get(handler, ())))
    names = sorted(entries.items())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in names:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    content = buffer.getvalue()
    return Archive(
        handler=handler,
        entry_point=f"lambdas.{handler}.handler.handler",
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        files=tuple(name for name, _ in names),
        distributions=tuple(pinned(DISTRIBUTIONS.get(handler, ()))),
    )
