"""What a function ships, said in a form the plan shows: a description and tags."""

from __future__ import annotations

from collections import defaultdict

from mlops_platform.components.workflows.packaging import Archive

DESCRIPTION_LIMIT = 256
"""Lambda's limit on a function's description."""


def files_summary(archive: Archive) -> str:
    """The archive's modules grouped by package: `common(aws events) gate(decide handler)`.

    `__init__` modules are left out (every package has one); the full list is in the zip.
    """
    by_package: dict[str, list[str]] = defaultdict(list)
    for path in archive.files:
        parts = path.removesuffix(".py").split("/")[1:]  # drop the top-level `lambdas`
        if parts[-1] == "__init__":
            continue
        by_package["/".join(parts[:-1])].append(parts[-1])
    return " ".join(
        f"{package}({' '.join(names)})" for package, names in sorted(by_package.items())
    )


def description(archive: Archive) -> str:
    """`<entry point>, <n> files: <summary>`, cut to Lambda's 256 characters."""
    text = f"{archive.entry_point}, {len(archive.files)} files: {files_summary(archive)}"
    if len(text) <= DESCRIPTION_LIMIT:
        return text
    return text[: DESCRIPTION_LIMIT - 3] + "..."


def code_tags(archive: Archive) -> dict[str, str]:
    """Tags that pin the code: the archive's sha256 (hex) and its handler package."""
    return {"mlops:code-sha256": archive.sha256, "mlops:handler": archive.handler}


def archive_name(archive: Archive) -> str:
    """File name of the zip: `<handler>-<first 16 hex of its sha256>.zip`."""
    return f"{archive.handler}-{archive.sha256[:16]}.zip"
