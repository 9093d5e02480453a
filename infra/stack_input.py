"""The stack file's keys as people write them: nulls, keys outside the namespace, hints.

`config.py` hands every key of the namespace through `decode` before any block is read, and
the keys of the project's own namespace through `outside_namespace`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from infra.schema import MISSING, NAMESPACE
from mlops_platform.components.core import Problem

NULL = "null is not a value: remove the key to take its default"
"""What a key left empty (YAML `null`) reads, at the top of the file as inside a block."""


NULL_REQUIRED = "null is not a value, and the key is required: give it one"
"""What an empty key that has no default reads."""


def decode(
    raw: Mapping[str, str], required: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[Problem]]:
    """The values of the namespace's keys, without those set to `null`, and a problem for each.

    Structured values arrive as JSON text, scalars as plain text (as the engine passes them);
    an empty key arrives as `null`. `required`: the keys without a default.
    """
    values = {key: _decoded(text) for key, text in raw.items()}
    problems = [
        Problem(f"{NAMESPACE}:{key}", None, NULL_REQUIRED if key in required else NULL)
        for key, value in values.items()
        if value is None
    ]
    return {key: value for key, value in values.items() if value is not None}, problems


def without_echoes(problems: list[Problem], nulls: list[Problem]) -> list[Problem]:
    """`problems` without the `(missing)` of a key already reported as `null`."""
    null_fields = {problem.field for problem in nulls}
    return [p for p in problems if not (p.value is MISSING and p.field in null_fields)]


def outside_namespace(everything: Mapping[str, str], project: str) -> list[Problem]:
    """Keys written without `mlops:`, which the engine files under the project.

    Nobody reads them: a stack would preview without its endpoints.
    """
    prefix = f"{project}:"
    return [
        Problem(
            key,
            _decoded(text),
            f"a key without a namespace belongs to the project and is ignored; "
            f"write {NAMESPACE}:{key[len(prefix) :]}",
        )
        for key, text in sorted(everything.items())
        if key.startswith(prefix) and prefix != f"{NAMESPACE}:"
    ]


def _decoded(text: str) -> Any:
    if text == "null":
        return None
    if text[:1] in "{[":
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    return text
