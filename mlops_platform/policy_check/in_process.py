"""Evaluate the pack's rules in this process, handing each rule what the Analyzer would hand it.

The engine's path (`analyzer.py`) serialises every resource into a protobuf `Struct`, and the
policy SDK's Analyzer converts it back for every one of its rules, whichever types a rule looks
at. Here each resource is converted once into the wire's value space (numbers as floats, as a
`Struct` carries them), and then, for each resource rule that looks at its type, deserialised
and wrapped exactly as the SDK does (`deserialize_properties`, `unknown_checking_proxy`), so
every resource rule gets objects of its own. The stack rules share one linked list of the
stack's resources, and resources their provider's, where the SDK builds them again for every
rule: rules only read what they are given. Levels, parameters, the advisory finding for a value
unknown during preview and the description prefix of messages follow the SDK's Analyzer; a
parity test compares both paths on every committed plan.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from inspect import isawaitable
from types import MappingProxyType
from typing import Any, TypeVar

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.policy import _NotApplicableError
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from mlops_platform.policy_check.config import PolicyConfig, PolicySchema
from mlops_platform.policy_check.plan_reader import Plan, PlanResource
from mlops_platform.preview.recorder import clean_value

_Rule = TypeVar("_Rule", ResourceValidationPolicy, StackValidationPolicy)

SDK_PACK_VERSION = "0.0.1"
"""The version a Python pack reports over gRPC (the CLI takes the real one from its YAML)."""


@dataclass(frozen=True)
class Diagnostic:
    """One finding, with the fields of the Analyzer's `AnalyzeDiagnostic` that the check reads."""

    policy_name: str
    description: str
    message: str
    """The description, a newline and the rule's message, as the SDK builds it."""
    urn: str
    """The resource the rule named, else the resource (or, for stack rules, the stack) checked."""
    level: str


def wire_value(value: Any) -> Any:
    """`value` as it comes out of a protobuf `Struct`: every number a float, tuples as lists."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, Mapping):
        return {str(key): wire_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [wire_value(item) for item in value]
    raise TypeError(f"{type(value).__name__} cannot travel in a protobuf Struct")


class InProcessPack:
    """The pack's rules, configured for one plan, called directly."""

    def __init__(self, rules: Sequence[Policy], name: str, level: EnforcementLevel) -> None:
        self._rules = list(rules)
        self._name = name
        self._default_level = level
        self._config: dict[str, dict[str, Any]] = {}
        self._levels: dict[str, EnforcementLevel] = {}

    def policies(self) -> list[PolicySchema]:
        """What the pack reports about its policies, as `GetAnalyzerInfo` reports it."""
        schemas = []
        for rule in self._rules:
            schema = rule.config_schema
            schemas.append(
                PolicySchema(
                    name=rule.name,
                    enforcement_level=(rule.enforcement_level or self._default_level).value,
                    properties=clean_value(wire_value(schema.properties if schema else {})),
                    required=tuple(schema.required or ()) if schema else (),
                )
            )
        return schemas

    def configure(self, config: Mapping[str, PolicyConfig]) -> None:
        """Every policy's level and parameters, as `Configure` hands them over."""
        self._config = {name: wire_value(policy.properties) for name, policy in config.items()}
        self._levels = {
            name: EnforcementLevel(policy.enforcement_level) for name, policy in config.items()
        }

    def evaluate(self, plan: Plan) -> list[Diagnostic]:
        """Every resource rule on each resource, then every stack rule on the whole plan."""
        stack = _Converted(plan)
        found: list[Diagnostic] = []
        rules = self._active(ResourceValidationPolicy)
        for resource in plan.resources:
            found += self._analyze(resource, stack, rules)
        found += self._analyze_stack(stack)
        return found

    def _active(self, kind: type[_Rule]) -> list[tuple[_Rule, EnforcementLevel]]:
        active: list[tuple[_Rule, EnforcementLevel]] = []
        for rule in self._rules:
            level = self._levels.get(rule.name) or rule.enforcement_level or self._default_level
            if level != EnforcementLevel.DISABLED and isinstance(rule, kind):
                remediate = level == EnforcementLevel.REMEDIATE
                active.append((rule, EnforcementLevel.MANDATORY if remediate else level))
        return active

    def _analyze(
        self,
        resource: PlanResource,
        stack: _Converted,
        rules: list[tuple[ResourceValidationPolicy, EnforcementLevel]],
    ) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        for rule, level in rules:
            if not _looks_at(rule, resource.type):
                continue  # the rule would return at once; its result is the same
            args = ResourceValidationArgs(
                resource.type,
                stack.props(resource.urn),
                resource.urn,
                resource.name,
                _options(resource),
                stack.provider(resource),
                self._policy_config(rule.name),
                MappingProxyType({}),
            )
            found += self._run(rule, level, resource.urn, partial(rule.validate, args))
        return found

    def _analyze_stack(self, stack: _Converted) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        rules = self._active(StackValidationPolicy)
        resources = stack.linked() if rules else []
        for rule, level in rules:
            args = StackValidationArgs(
                list(resources), self._policy_config(rule.name), MappingProxyType({})
            )
            found += self._run(rule, level, stack.plan.stack_urn, partial(rule.validate, args))
        return found

    def _policy_config(self, name: str) -> dict[str, Any] | None:
        config = self._config.get(name)
        return dict(config) if config else None

    def _run(
        self, rule: Policy, level: EnforcementLevel, at: str, validate: Callable[[Any], Any]
    ) -> list[Diagnostic]:
        found: list[Diagnostic] = []

        def report(message: str, urn: str | None = None) -> None:
            if message and not isinstance(message, str):
                raise TypeError("Expected message to be a string")
            text = f"{rule.description}\n{message}" if message else rule.description
            found.append(Diagnostic(rule.name, rule.description, text, urn or at, level.value))

        try:
            result = validate(report)
            if isawaitable(result):
                asyncio.run(_awaited(result))
        except UnknownValueError as error:
            message = (
                f"can't run policy '{rule.name}' from policy pack "
                f"'{self._name}@v{SDK_PACK_VERSION}' during preview: {error.message}"
            )
            found.append(Diagnostic(rule.name, rule.description, message, at, "advisory"))
        except _NotApplicableError:
            pass  # reported as not applicable, which is no finding
        return found


async def _awaited(result: Any) -> None:
    await result


def _looks_at(rule: Policy, type_: str) -> bool:
    """False only for this pack's resource rules that ignore `type_` (they declare theirs)."""
    info = getattr(rule, "info", None)
    types = getattr(info, "resource_types", None)
    return types is None or type_ in types


def _options(resource: PlanResource) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        resource.protect,
        list(resource.ignore_changes),
        None,
        [],
        PolicyCustomTimeouts(0, 0, 0),
        [],
        resource.parent or None,
    )


class _Converted:
    """A plan's resources in the wire's value space, and what rules are handed of them."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._wire = {resource.urn: wire_value(resource.props) for resource in plan.resources}
        self._by_urn = {resource.urn: resource for resource in reversed(plan.resources)}
        self._providers: dict[str, PolicyProviderResource | None] = {}

    def props(self, urn: str) -> Any:
        """A new copy of the resource's inputs, as the SDK hands them to a rule."""
        return unknown_checking_proxy(deserialize_properties(self._wire[urn]))

    def provider(self, resource: PlanResource) -> PolicyProviderResource | None:
        """The resource's explicit provider with its inputs, when the plan has it."""
        urn = resource.provider
        if not urn or urn not in self._by_urn:
            return None
        if urn not in self._providers:
            found = self._by_urn[urn]
            self._providers[urn] = PolicyProviderResource(
                found.type, self.props(urn), found.urn, found.name
            )
        return self._providers[urn]

    def linked(self) -> list[PolicyResource]:
        """The stack's resources linked to their parents and dependencies, as the SDK links them."""
        built = {}
        for item in self.plan.resources:
            built[item.urn] = PolicyResource(
                item.type,
                self.props(item.urn),
                item.urn,
                item.name,
                _options(item),
                self.provider(item),
                None,
                [],
                {},
            )
        resources = []
        for item in self.plan.resources:
            resource = built[item.urn]
            if item.parent in built:
                resource.parent = built[item.parent]
            resource.dependencies += [built[urn] for urn in item.dependencies if urn in built]
            for key, urns in item.property_dependencies.items():
                if urns:  # the Analyzer client sends only properties that depend on something
                    resource.property_dependencies[key] = [built[u] for u in urns if u in built]
            resources.append(resource)
        return resources
