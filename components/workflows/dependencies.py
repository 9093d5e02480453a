"""Third-party code a handler ships: installed distributions and all they require, pure Python.

The functions run on `arm64` Lambda, and the plan is built on any machine, so only pure-Python
files travel: compiled modules are left out, which is safe only where the package falls back to
Python by itself (`OPTIONAL_NATIVE`); any other compiled module stops the build with a clear
error instead of shipping code that cannot load on the runtime.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

TARGET_ENVIRONMENT = {
    "python_version": "3.12",
    "python_full_version": "3.12.0",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "platform_system": "Linux",
    "platform_machine": "aarch64",
    "sys_platform": "linux",
    "os_name": "posix",
    "extra": "",
}
"""The Lambda runtime the requirements' markers are evaluated for (python3.12 on arm64)."""

NATIVE_SUFFIXES = (".so", ".pyd")
"""Compiled modules, built for the machine that installed them, never shipped."""

OPTIONAL_NATIVE = frozenset({"yaml/_yaml", "charset_normalizer/md", "charset_normalizer/cd"})
"""Compiled modules whose packages fall back to pure Python when they are absent."""

SKIPPED_PARTS = frozenset({"__pycache__", "tests", "test"})
"""Directories of a distribution that are never shipped."""


def _marker_applies(requirement: Requirement) -> bool:
    return requirement.marker is None or requirement.marker.evaluate(TARGET_ENVIRONMENT)


def required_closure(names: Iterable[str]) -> list[metadata.Distribution]:
    """`names` and every distribution they require on the runtime, each once, sorted by name.

    Raises:
        ValueError: when one of them is not installed where the plan is built.
    """
    found: dict[str, metadata.Distribution] = {}
    pending = list(names)
    while pending:
        name = canonicalize_name(pending.pop())
        if name in found:
            continue
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError as missing:
            raise ValueError(
                f"distribution {name!r} is not installed; `make setup` installs the runtime "
                "dependencies the functions ship"
            ) from missing
        found[name] = distribution
        for text in distribution.requires or []:
            requirement = Requirement(text)
            if _marker_applies(requirement):
                pending.append(requirement.name)
    return [found[name] for name in sorted(found)]


def _module(relative: str) -> str:
    """`yaml/_yaml.cpython-311-x86_64-linux-gnu.so` -> `yaml/_yaml`."""
    directory, _, file_name = relative.rpartition("/")
    stem = file_name.split(".", 1)[0]
    return f"{directory}/{stem}" if directory else stem


def _shipped(distribution: metadata.Distribution) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for entry in distribution.files or []:
        relative = entry.as_posix()
        parts = relative.split("/")
        if relative.startswith("..") or ".dist-info" in parts[0] or SKIPPED_PARTS & set(parts):
            continue
        if relative.endswith(NATIVE_SUFFIXES):
            if _module(relative) not in OPTIONAL_NATIVE:
                raise ValueError(
                    f"distribution {distribution.metadata['Name']} ships the compiled module "
                    f"{relative}, which cannot be copied to the arm64 runtime; use a pure-Python "
                    "version or build it for the runtime"
                )
            continue
        if relative.endswith((".pyc", ".pth")):
            continue
        files[relative] = Path(str(distribution.locate_file(entry)))
    return files


@lru_cache(maxsize=8)
def distribution_files(names: tuple[str, ...]) -> dict[str, Path]:
    """Archive path -> installed file, for `names` and what they require (cached per run)."""
    files: dict[str, Path] = {}
    for distribution in required_closure(names):
        files.update(_shipped(distribution))
    return files


def pinned(names: Iterable[str]) -> list[str]:
    """`name==version` of `names` and what they require, as the archive ships them."""
    return [f"{d.metadata['Name']}=={d.version}" for d in required_closure(names)]
