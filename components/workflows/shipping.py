"""What a function ships, said in a form the plan shows: a description and tags."""

from __future__ import annotations

from collections import defaultdict

from mlops_platform.components.workflows.packaging import Archive

DESCRIPTION_LIMIT = 256
"""Lambda's limit on a function's description."""


def files_summary(archive: Archive) -> str:
    """The archive's own modules by package: `common(aws events) gate(decide handler)`.

    `__init__` modules are left out (every package has one); the full list is in the zip.
    """
    by_package: dict[str, list[str]] = defaultdict(list)
    for path in archive.files:
        if not path.startswith("lambdas/"):
            continue  # third-party code is named by `description`, with its version
        parts = path.removesuffix(".py").split("/")[1:]  # drop the top-level `lambdas`
        if parts[-1] == "__init__":
            continue
        by_package["/".join(parts[:-1])].append(parts[-1])
    return " ".join(
        f"{package}({' '.join(names)})" for package, names in sorted(by_package.items())
    )


def description(archive: Archive) -> str:
    """`<entry point>, <n> files: <summary>[; ships <dist==version> ...]`, cut to 256 characters.

    The summary comes first: what the platform wrote matters more than the pinned libraries,
    which are all listed in the `mlops:ships` tag.
    """
    text = f"{archive.entry_point}, {len(archive.files)} files: {files_summary(archive)}"
    if archive.distributions:
        text += "; ships " + " ".join(archive.distributions)
    if len(text) <= DESCRIPTION_LIMIT:
        return text
    return text[: DESCRIPTION_LIMIT - 3] + "..."


def code_tags(archive: Archive) -> dict[str, str]:
    """Tags that pin the code: the archive's sha256 (hex) and its handler package.

    When it ships third-party code, `mlops:ships` lists every distribution as `name==version`.
    """
    tags = {"mlops:code-sha256": archive.sha256, "mlops:handler": archive.handler}
    if archive.distributions:
        tags["mlops:ships"] = " ".join(archive.distributions)[:DESCRIPTION_LIMIT]
    return tags


def archive_name(archive: Archive) -> str:
    """File name of the zip: `<handler>-<first 16 hex of its sha256>.zip`."""
    return f"{archive.handler}-{archive.sha256[:16]}.zip"
