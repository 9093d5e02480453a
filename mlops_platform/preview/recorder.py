"""Run a Pulumi program under the SDK's mock runtime and record every registration.

The recording comes from the registration requests themselves (parent, provider, options,
dependencies and property dependencies), exactly what the engine would receive; URNs are
built the way the engine builds them. Requests and answers stay in the wire's JSON form, so
the monitor needs no event loop of its own in the SDK's worker threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
from google.protobuf import json_format, struct_pb2
from pulumi.runtime import MockCallArgs, MockResourceArgs
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.proto import resource_pb2

from mlops_platform.preview.mocks import DeterministicMocks

STACK_TYPE = "pulumi:pulumi:Stack"

# How the engine's wire format marks special values inside a property map.
_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d"
_SECRET = "1b47061264138c4ac30d75fd1eb44270"
_RESOURCE_REFERENCE = "5cf8f73096256a8f31e491e813e4eb8e"


class DuplicateUrnError(ValueError):
    """A program registered two resources with one URN (same type, name and parent)."""


@dataclass(frozen=True)
class Registration:
    """One resource as the engine would have received it."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str | None
    provider: str | None
    protect: bool
    retain_on_delete: bool
    ignore_changes: tuple[str, ...]
    inputs: dict[str, Any]
    """The resource's inputs with the engine's camelCase names."""
    dependencies: tuple[str, ...]
    property_dependencies: dict[str, tuple[str, ...]]
    id: str = ""
    """The id the mocks gave the resource (custom resources only)."""
    state: dict[str, Any] = field(default_factory=dict)
    """The outputs the mocks answered with: the inputs plus computed attributes (ARN, ...)."""


class Registry:
    """The registrations of one program run, with questions tests and summaries ask of them."""

    def __init__(
        self,
        registrations: Sequence[Registration],
        outputs: Mapping[str, dict[str, Any]] | None = None,
    ) -> None:
        self._by_urn = {registration.urn: registration for registration in registrations}
        self._outputs = dict(outputs or {})
        # Registrations never change once recorded: sort and index them once, so that every
        # question below costs what its answer holds, not a pass over the whole registry.
        self._ordered = sorted(self._by_urn.values(), key=lambda r: r.urn)
        self._by_type: dict[str, list[Registration]] = {}
        self._children: dict[str, list[Registration]] = {}
        for registration in self._ordered:
            self._by_type.setdefault(registration.type, []).append(registration)
            if registration.parent is not None:
                self._children.setdefault(registration.parent, []).append(registration)

    def __iter__(self) -> Iterator[Registration]:
        """Every registration, ordered by URN so that output is stable."""
        return iter(self._ordered)

    def __len__(self) -> int:
        """How many resources were registered, the stack included."""
        return len(self._by_urn)

    def all(self, type_: str | None = None) -> list[Registration]:
        """Every registration of `type_` (every registration when None)."""
        if type_ is None:
            return list(self._ordered)
        return list(self._by_type.get(type_, ()))

    def one(self, type_: str, name: str | None = None) -> Registration:
        """The single registration of `type_` (and `name`); fails naming what was found."""
        found = [r for r in self.all(type_) if name is None or r.name == name]
        if len(found) != 1:
            names = sorted(r.name for r in self.all(type_))
            raise LookupError(f"expected one {type_} named {name!r}, found {len(found)}: {names}")
        return found[0]

    def outputs(self, registration: Registration) -> dict[str, Any]:
        """The outputs a component registered with `register_outputs` (empty when none)."""
        return self._outputs.get(registration.urn, {})

    def get(self, urn: str) -> Registration:
        """The registration with `urn`."""
        return self._by_urn[urn]

    def children_of(self, parent: Registration, type_: str | None = None) -> list[Registration]:
        """Direct children of `parent` (of `type_` when given)."""
        children = self._children.get(parent.urn, ())
        return [r for r in children if type_ is None or r.type == type_]

    def descendants_of(self, ancestor: Registration) -> list[Registration]:
        """Children, grandchildren and so on of `ancestor`."""
        found: list[Registration] = []
        frontier = [ancestor.urn]
        while frontier:
            children = self._children.get(frontier.pop(), ())
            found += children
            frontier += [child.urn for child in children]
        return sorted(found, key=lambda r: r.urn)


class RecordingMonitor(MockMonitor):
    """The SDK's mock monitor, recording each registration request in full."""

    def __init__(
        self,
        mocks: DeterministicMocks,
        on_register: Callable[[Registration], None] | None = None,
    ) -> None:
        super().__init__(mocks)
        self._lock = threading.Lock()
        self._recorded: list[Registration] = []
        self._urns: set[str] = set()
        self._outputs: dict[str, dict[str, Any]] = {}
        self._on_register = on_register

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """Build the URN as the engine does: the parent's full type chain, minus the stack."""
        qualified = type_
        if parent:
            parent_types = parent.split("::")[2]
            if parent_types.rsplit("$", 1)[-1] != STACK_TYPE:
                qualified = f"{parent_types}${type_}"
        return "urn:pulumi:" + "::".join(
            [pulumi.get_stack(), pulumi.get_project(), qualified, name]
        )

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - the gRPC method's name
        """Answer with the mocks' id and state, and record the request."""
        urn = self.make_urn(request.parent, request.type, request.name)
        inputs = json_format.MessageToDict(request.object)
        if request.type == STACK_TYPE:
            self._record(request, urn, {}, "", {})
            return resource_pb2.RegisterResourceResponse(urn=urn)
        args = MockResourceArgs(
            typ=request.type,
            name=request.name,
            inputs=inputs,
            provider=request.provider,
            resource_id=request.importId,
            custom=request.custom or False,
        )
        args.urn = urn  # type: ignore[attr-defined]  # read by DeterministicMocks for stable ids
        resource_id, state = self.mocks.new_resource(args)
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, resource_id or "", state)
        self._record(request, urn, inputs, resource_id or "", state)
        return resource_pb2.RegisterResourceResponse(
            urn=urn, id=resource_id or "", object=json_format.ParseDict(state, struct_pb2.Struct())
        )

    def Invoke(self, request: Any) -> Any:  # noqa: N802 - the gRPC method's name
        """Answer a function call from the mocks; unknown functions fail loudly there."""
        args = MockCallArgs(
            token=request.tok,
            args=json_format.MessageToDict(request.args),
            provider=request.provider,
        )
        answer, failures = self.mocks.call(args)
        response = resource_pb2.ResourceInvokeResponse()
        for name, reason in failures or ():  # an invoke AWS answers with an error
            response.failures.add(property=name, reason=reason)
        # `return` is the field's name in the protocol, and a keyword in Python.
        json_format.ParseDict(answer, getattr(response, "return"))
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802 - the gRPC method's name
        """Record the outputs a resource (a component, usually) registered."""
        with self._lock:
            self._outputs[request.urn] = clean_value(json_format.MessageToDict(request.outputs))
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]

    def registry(self) -> Registry:
        """Everything recorded so far."""
        with self._lock:
            return Registry(list(self._recorded), self._outputs)

    def _record(
        self,
        request: Any,
        urn: str,
        inputs: dict[str, Any],
        resource_id: str,
        state: dict[str, Any],
    ) -> None:
        registration = Registration(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            parent=request.parent or None,
            provider=request.provider.rsplit("::", 1)[0] if request.provider else None,
            protect=bool(request.protect),
            retain_on_delete=bool(request.retainOnDelete),
            ignore_changes=tuple(request.ignoreChanges),
            inputs=clean_value(inputs),
            dependencies=tuple(sorted(set(request.dependencies))),
            property_dependencies={
                key: tuple(sorted(set(value.urns)))
                for key, value in sorted(request.propertyDependencies.items())
            },
            id=resource_id,
            state=clean_value(state),
        )
        with self._lock:
            if urn in self._urns:
                # The engine refuses a second resource with the same URN; so do the mocks.
                raise DuplicateUrnError(f"two resources registered with one URN: {urn}")
            self._urns.add(urn)
            self._recorded.append(registration)
        if self._on_register is not None:
            self._on_register(registration)


def clean_value(value: Any) -> Any:
    """Turn wire values into plain JSON: whole floats to ints, secrets and resources to text."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return _clean_mapping(value)
    return value


def _clean_mapping(value: dict[str, Any]) -> Any:
    signature = value.get(_SIGNATURE_KEY)
    if signature == _SECRET:
        return "[secret]"
    if signature == _RESOURCE_REFERENCE:
        return value.get("urn")
    return {key: clean_value(item) for key, item in value.items() if key != _SIGNATURE_KEY}


def run_program(
    program: Callable[[], object],
    *,
    project: str = "mlops-platform",
    stack: str = "test",
    config: Mapping[str, str] | None = None,
    secret_keys: Sequence[str] = (),
    mocks: DeterministicMocks | None = None,
    on_register: Callable[[Registration], None] | None = None,
) -> Registry:
    """Run `program` in a fresh mock runtime and return every registration it made.

    The runtime is global to the process: this resets it first, so runs never see each other.
    """
    pulumi.runtime.reset_options(project=project, stack=stack, preview=False)
    pulumi.runtime.set_all_config(dict(config or {}), list(secret_keys))
    monitor = RecordingMonitor(mocks or DeterministicMocks(), on_register)
    pulumi.runtime.set_mocks(
        monitor.mocks, project=project, stack=stack, preview=False, monitor=monitor
    )

    def run() -> None:
        # The SDK's test runner awaits whatever the program returns, deeply; a program's
        # return value (runpy's module globals, say) is not ours to await.
        program()

    pulumi.runtime.test(run)()  # type: ignore[no-untyped-call]
    return monitor.registry()
