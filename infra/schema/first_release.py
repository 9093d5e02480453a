"""The committed first version of a `release: managed` variant: what its record is seeded with.

The platform creates a managed variant's release record from the stack file. That record is a
full `ReleaseRecord` (`lambdas/common/release.py`), as the workflow later reads it back as the
previous version, so the stack file says what a record says and a tag alone cannot: the digest
the image resolved to and the commit it was built from. The first version is an image and a
model artifact; model packages arrive later, through the promotion workflow.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from mlops_platform.components.core import Problem

_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_COMMIT = re.compile(r"[0-9a-f]{7,40}")


@dataclass(frozen=True)
class FirstRelease:
    """What a managed variant's record is seeded with beyond the variant's own keys."""

    image_digest: str
    """`sha256:<64 hex>`: the digest the variant's image resolved to."""
    commit: str
    """The git commit (7-40 hex characters) the image and artifact were built from."""


class _Variant(Protocol):
    """The keys of a variant entry this module reads (`endpoints.VariantSettings`)."""

    @property
    def name(self) -> str: ...
    @property
    def release(self) -> str: ...
    @property
    def model_package(self) -> int | str | None: ...
    @property
    def image_digest(self) -> str | None: ...
    @property
    def commit(self) -> str | None: ...


def seed_problems(where: str, image_digest: str | None, commit: str | None) -> list[Problem]:
    """What is wrong with the digest and commit of a managed first version at `where`."""
    found = []
    if image_digest is None or not _DIGEST.fullmatch(image_digest):
        found.append(
            Problem(
                f"{where}image_digest",
                image_digest,
                "a managed first version needs its image's digest, sha256:<64 hex>",
            )
        )
    if commit is None or not _COMMIT.fullmatch(commit):
        found.append(
            Problem(
                f"{where}commit",
                commit,
                "a managed first version needs its git commit, 7-40 hex characters",
            )
        )
    return found


def pinned_problems(where: str, image_digest: str | None, commit: str | None) -> list[Problem]:
    """A pinned entry may not carry `imageDigest` or `commit`: they would say nothing."""
    return [
        Problem(f"{where}{key}", value, "only a release: managed entry seeds a release record")
        for key, value in (("image_digest", image_digest), ("commit", commit))
        if value is not None
    ]


def _problems(index: int, variant: _Variant) -> list[Problem]:
    where = f"variants[{index}]"
    found = []
    if variant.model_package is not None:
        found.append(
            Problem(
                f"{where}.model_package",
                variant.model_package,
                "a managed variant's first version is an image and modelData; packages reach "
                "it through the promotion workflow",
            )
        )
    return found + seed_problems(f"{where}.", variant.image_digest, variant.commit)


def _managed_before(variants: Sequence[_Variant], index: int) -> list[str]:
    return [v.name for v in variants[:index] if v.release == "managed"]


def first_releases(
    variants: Sequence[_Variant],
) -> tuple[Mapping[str, FirstRelease], list[Problem]]:
    """The first release of each managed variant by name, and every problem with them.

    A pinned variant may not carry `imageDigest` or `commit`: they would say nothing. At most
    one variant is managed: the release record is the endpoint's (target `<endpoint>`, as the
    promotion workflow, its lock and its alarms name it) and names one version.
    """
    found: dict[str, FirstRelease] = {}
    problems: list[Problem] = []
    for index, variant in enumerate(variants):
        earlier = _managed_before(variants, index)
        if variant.release == "managed" and earlier:
            problems.append(
                Problem(
                    f"variants[{index}].release",
                    "managed",
                    "one variant per endpoint may be managed: the endpoint's release record "
                    f"names one version, and {earlier[0]!r} is managed",
                )
            )
            continue
        if variant.release != "managed":
            where = f"variants[{index}]."
            problems += pinned_problems(where, variant.image_digest, variant.commit)
            continue
        wrong = _problems(index, variant)
        problems += wrong
        if not wrong:
            found[variant.name] = FirstRelease(str(variant.image_digest), str(variant.commit))
    return found, problems
