"""The registry trigger's code as a deterministic zip (standard library only)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

LAMBDAS = Path(__file__).parents[2] / "lambdas"
"""The `lambdas/` package beside `components/` (both linked into `mlops_platform/`)."""
HANDLER = "registry_trigger"
"""The handler package shipped (`lambdas/registry_trigger/handler.py`)."""
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def trigger_archive(root: Path = LAMBDAS) -> bytes:
    """A zip of `lambdas/__init__.py` and `lambdas/registry_trigger/`, the same bytes each time.

    Entries are sorted and carry a fixed time and mode; caches are left out.
    """
    paths = [root / "__init__.py"]
    paths += [p for p in (root / HANDLER).rglob("*.py") if "__pycache__" not in p.parts]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(paths, key=lambda p: p.relative_to(root).as_posix()):
            info = zipfile.ZipInfo(f"lambdas/{path.relative_to(root).as_posix()}", _FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()
