"""Questions stack rules ask about how resources refer to each other.

A resource refers to another through an input whose value came from the other's output: the
engine records that as a property dependency (`bucket` of a public-access block depends on the
bucket). That link holds during preview, when the value itself is still unknown. Where no
dependency was recorded (a name typed in by hand), the value is compared with the names the
target was given explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UnknownValueError

from mlops_platform.policies.common.values import as_list, dig

_NAME_KEYS = ("bucket", "name", "arn", "alarmName", "keyId", "modelPackageGroupName")


def of_type(resources: Iterable[PolicyResource], *types: str) -> list[PolicyResource]:
    """The resources whose type is one of `types`, in stack order."""
    return [resource for resource in resources if resource.resource_type in types]


def linked(
    source: PolicyResource, prop: str, candidates: Sequence[PolicyResource]
) -> list[PolicyResource]:
    """The candidates that `source`'s input `prop` refers to.

    By the property dependencies the engine recorded, else by an explicit name matching.
    """
    wanted = {candidate.urn for candidate in candidates}
    by_dependency = [
        dependency
        for dependency in source.property_dependencies.get(prop, [])
        if dependency.urn in wanted
    ]
    if by_dependency:
        return by_dependency
    values = _values(source, prop)
    return [candidate for candidate in candidates if values & explicit_names(candidate)]


def explicit_names(resource: PolicyResource) -> set[str]:
    """Names, ARNs and ids the resource was given in its own inputs (none when auto-named)."""
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
