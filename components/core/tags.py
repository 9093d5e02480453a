"""Tag helpers shared by every component: the caller's tags reach every taggable child."""

from __future__ import annotations

import re
from collections.abc import Mapping

from mlops_platform.components.core.errors import Problem

_TAG_KEY = re.compile(r"^[\w .:/=+\-@]{1,128}$")
_TAG_VALUE = re.compile(r"^[\w .:/=+\-@]{0,256}$")
MAX_CALLER_TAGS = 45
"""AWS allows 50 tags per resource; components add up to five of their own (Name, tier, ...)."""


def named(tags: Mapping[str, str], name: str, **extra: str) -> dict[str, str]:
    """Return the caller's tags plus a readable `Name` and any component-specific tags."""
    return {**tags, **extra, "Name": name}


def check_tags(field: str, tags: Mapping[str, str]) -> list[Problem]:
    """Check tag keys and values against the rules AWS applies to every taggable resource."""
    problems = []
    if len(tags) > MAX_CALLER_TAGS:
        problems.append(
            Problem(field, len(tags), f"at most {MAX_CALLER_TAGS} tags; AWS allows 50 per resource")
        )
    for key, value in tags.items():
        if not isinstance(key, str) or not _TAG_KEY.match(key) or key.lower().startswith("aws:"):
            problems.append(
                Problem(
                    f"{field}[{key!r}]",
                    key,
                    "tag keys are 1-128 letters, digits, spaces or _.:/=+-@ and may not start "
                    "with 'aws:'",
                )
            )
        if not isinstance(value, str) or not _TAG_VALUE.match(value):
            problems.append(
                Problem(
                    f"{field}[{key!r}]",
                    value,
                    "tag values are up to 256 letters, digits, spaces or _.:/=+-@",
                )
            )
    return problems
