"""Problems from a component, read back in the words of the stack file.

A component names its Python arguments (`min_replicas`, `{'set_weight': 10}`) and holds numbers
as floats (`-10.0`); the stack file says `minReplicas`, `{'setWeight': 10}` and `-10`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any

from pydantic.alias_generators import to_camel

from infra.schema import Section
from mlops_platform.components.core import Problem

_SNAKE = re.compile(r"(?<![\w./:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/-])")


def as_written(problem: Problem) -> Problem:
    """`problem` with the keys its reason names camelCased, its value as written.

    Only names of stack-file keys are renamed (`min_replicas`); values such as `per_az` stay.
    """
    names = _key_names()

    def rename(match: re.Match[str]) -> str:
        word = match.group(0)
        return to_camel(word) if word in names else word

    return Problem(problem.field, written_value(problem.value), _SNAKE.sub(rename, problem.reason))


@functools.cache
def _key_names() -> frozenset[str]:
    """The Python names of every stack-file key of every block (`min_replicas`)."""
    found: set[str] = set()
    pending: list[type[Section]] = [Section]
    while pending:
        model = pending.pop()
        pending += model.__subclasses__()
        found |= {name for name in model.model_fields if "_" in name}
    return frozenset(found)


def written_value(value: Any) -> Any:
    """A value as the stack file writes it: camelCase fields, `-10` for `-10.0`."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {  # the keys a stack file sets: those that differ from the defaults
            f.name: getattr(value, f.name)
            for f in dataclasses.fields(value)
            if getattr(value, f.name) not in (None, f.default)
        }
        return {to_camel(k): written_value(v) for k, v in fields.items()}
    if isinstance(value, dict):  # keys are the user's own (tags, labels): kept as written
        return {k: written_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [written_value(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
