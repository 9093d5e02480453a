"""Questions stack rules ask about how resources refer to each other.

A resource refers to another through an input whose value came from the other's output: the
engine records that as a property dependency (`bucket` of a public-access block depends on the
bucket). That link holds during preview, when the value itself is still unknown. Where no
dependency was recorded (a name typed in by hand), the value is compared with the names the
target was given explicitly.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UnknownValueError

from mlops_platform.policies.common.values import as_list, dig

_NAME_KEYS = ("bucket", "name", "arn", "alarmName", "keyId", "modelPackageGroupName")


def of_type(resources: Iterable[PolicyResource], *types: str) -> list[PolicyResource]:
    """The resources whose type is one of `types`, in stack order."""
    return [resource for resource in resources if resource.resource_type in types]


@dataclass(frozen=True)
class _Candidates:
    """One list of candidates, indexed: their URNs, and each explicit name to their positions."""

    of: Sequence[PolicyResource]
    size: int
    urns: frozenset[str]
    by_name: dict[str, list[int]]


_last_candidates = threading.local()
"""The candidates `linked` indexed last, per thread: a rule asks about one list many times."""
_explicit_names: weakref.WeakKeyDictionary[PolicyResource, frozenset[str]] = (
    weakref.WeakKeyDictionary()
)
"""Each resource's explicit names, read once: a resource's inputs do not change in a check."""
_names_lock = threading.Lock()


def linked(
    source: PolicyResource, prop: str, candidates: Sequence[PolicyResource]
) -> list[PolicyResource]:
    """The candidates that `source`'s input `prop` refers to, in candidate order.

    By the property dependencies the engine recorded, else by an explicit name matching.
    Asked for every source of a stack, it costs what the answer holds: the candidates are
    indexed once per list (a list changed in between is indexed again).
    """
    index = _index(candidates)
    by_dependency = [
        dependency
        for dependency in source.property_dependencies.get(prop, [])
        if dependency.urn in index.urns
    ]
    if by_dependency:
        return by_dependency
    positions = {
        position for value in _values(source, prop) for position in index.by_name.get(value, ())
    }
    return [candidates[position] for position in sorted(positions)]


def _index(candidates: Sequence[PolicyResource]) -> _Candidates:
    last: _Candidates | None = getattr(_last_candidates, "index", None)
    if last is not None and last.of is candidates and last.size == len(candidates):
        return last
    by_name: dict[str, list[int]] = {}
    for position, candidate in enumerate(candidates):
        for name in explicit_names(candidate):
            by_name.setdefault(name, []).append(position)
    index = _Candidates(candidates, len(candidates), frozenset(c.urn for c in candidates), by_name)
    _last_candidates.index = index
    return index


def explicit_names(resource: PolicyResource) -> set[str]:
    """Names, ARNs and ids the resource was given in its own inputs (none when auto-named)."""
    with _names_lock:
        known = _explicit_names.get(resource)
    if known is None:
        known = frozenset(_read_names(resource))
        with _names_lock:
            _explicit_names[resource] = known
    return set(known)


def _read_names(resource: PolicyResource) -> set[str]:
    names: set[str] = set()
    for key in _NAME_KEYS:
        try:
            value = dig(resource.props, key)
        except UnknownValueError:
            continue
        if isinstance(value, str) and value:
            names.add(value)
    return names


def _values(source: PolicyResource, prop: str) -> set[str]:
    try:
        value: Any = dig(source.props, prop)
    except UnknownValueError:
        return set()
    return {item for item in as_list(value) if isinstance(item, str)}


def describe(resource: PolicyResource) -> str:
    """`<type name> <logical name>` for a message, e.g. `bucket models`."""
    kind = resource.resource_type.rsplit(":", 1)[-1]
    return f"{kind} {resource.name!r}"
