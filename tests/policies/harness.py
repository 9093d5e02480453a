"""Build the policy SDK's argument objects directly and collect what a rule reports.

Resource rules get a `ResourceValidationArgs`; stack rules a `StackValidationArgs` whose
resources are linked by property dependencies, as the engine links them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import unknown_checking_proxy

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""How the engine marks a string that is unknown during preview."""


def urn_of(type_: str, name: str) -> str:
    """A URN of a top-level resource in the test stack."""
    return f"urn:pulumi:test::mlops-platform::{type_}::{name}"


def options(protect: bool = False) -> PolicyResourceOptions:
    """Resource options as the engine sends them."""
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)


def check_resource(
    policy: ResourceValidationPolicy,
    type_: str,
    props: Mapping[str, Any],
    *,
    name: str = "subject",
    config: Mapping[str, Any] | None = None,
    protect: bool = False,
    provider_props: Mapping[str, Any] | None = None,
) -> list[str]:
    """Run a resource rule on one resource; returns the messages it reported."""
    provider = None
    if provider_props is not None:
        provider = PolicyProviderResource(
            "pulumi:providers:aws",
            unknown_checking_proxy(dict(provider_props)),
            urn_of("pulumi:providers:aws", "p"),
            "p",
        )
    args = ResourceValidationArgs(
        type_,
        unknown_checking_proxy(copy.deepcopy(dict(props))),
        urn_of(type_, name),
        name,
        options(protect),
        provider,
        config,
    )
    messages: list[str] = []
    policy.validate(args, lambda message, urn=None: messages.append(message))
    return messages


class Stack:
    """Resources of a test stack, linked through property dependencies by logical name."""

    def __init__(self) -> None:
        self.resources: list[PolicyResource] = []

    def add(
        self,
        type_: str,
        name: str,
        props: Mapping[str, Any] | None = None,
        *,
        deps: Mapping[str, str | list[str]] | None = None,
        protect: bool = False,
    ) -> PolicyResource:
        """Add a resource whose inputs in `deps` came from the named resources' outputs."""
        by_name = {resource.name: resource for resource in self.resources}
        dependencies = {
            key: [by_name[item] for item in ([value] if isinstance(value, str) else value)]
            for key, value in (deps or {}).items()
        }
        resource = PolicyResource(
            type_,
            unknown_checking_proxy(copy.deepcopy(dict(props or {}))),
            urn_of(type_, name),
            name,
            options(protect),
            None,
            None,
            [item for items in dependencies.values() for item in items],
            dependencies,
        )
        self.resources.append(resource)
        return resource

    def check(
        self, policy: StackValidationPolicy, config: Mapping[str, Any] | None = None
    ) -> list[tuple[str, str | None]]:
        """Run a stack rule; returns (message, urn) for each violation."""
        found: list[tuple[str, str | None]] = []
        args = StackValidationArgs(self.resources, config)
        policy.validate(args, lambda message, urn=None: found.append((message, urn)))
        return found


Mutation = Callable[[dict[str, Any]], None]


def changed(base: Mapping[str, Any], mutate: Mutation) -> dict[str, Any]:
    """A deep copy of `base` with one change applied."""
    result = copy.deepcopy(dict(base))
    mutate(result)
    return result


def _walk(props: dict[str, Any], path: str) -> tuple[Any, str | int]:
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in path.split(".")]
    target: Any = props
    for part in parts[:-1]:
        target = target[part]
    return target, parts[-1]


def set_at(path: str, value: Any) -> Mutation:
    """A mutation that sets the dotted `path` (list indices as numbers) to `value`."""

    def mutate(props: dict[str, Any]) -> None:
        target, key = _walk(props, path)
        target[key] = value

    return mutate


def drop_at(path: str) -> Mutation:
    """A mutation that removes the dotted `path`."""

    def mutate(props: dict[str, Any]) -> None:
        target, key = _walk(props, path)
        del target[key]

    return mutate
