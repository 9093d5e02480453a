"""Run a Python policy pack the way the Pulumi engine does, and talk to its Analyzer service.

The engine starts `python -u -m pulumi.policy <engine address> .` in the pack's directory (that is
what the CLI's `pulumi-analyzer-policy-python` shim runs), reads the port the pack prints on its
first line of output, and calls the pack over gRPC: `GetAnalyzerInfo`, `Configure`,
`ConfigureStack`, then `Analyze` for each resource and `AnalyzeStack` for the whole stack.
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from mlops_platform.policy_check.config import PolicyConfig, PolicySchema
from mlops_platform.policy_check.plan_reader import Plan, PlanResource
from mlops_platform.preview.recorder import clean_value

START_TIMEOUT_SECONDS = 60.0
"""How long the pack may take to print its port (imports, first bytecode compilation)."""
CALL_TIMEOUT_SECONDS = 120.0
"""How long one gRPC call may take."""
STOP_TIMEOUT_SECONDS = 5.0
"""How long the pack gets to exit after being asked, before it is killed."""
_LEVEL_NAMES = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.DISABLED: "disabled",
    analyzer_pb2.REMEDIATE: "remediate",
}
_LEVELS = {name: level for level, name in _LEVEL_NAMES.items()}
_UNUSED_ENGINE_ADDRESS = "127.0.0.1:0"
"""The pack's launcher wants the engine's address; a Python pack never calls the engine."""


class PackError(RuntimeError):
    """The pack could not be started or failed while analysing; the message is one line."""


class Analyzer:
    """A running policy pack, called over its Analyzer gRPC service."""

    def __init__(
        self, stub: analyzer_pb2_grpc.AnalyzerStub, describe_failure: Any, pid: int
    ) -> None:
        self._stub = stub
        self._describe_failure = describe_failure
        self.pid = pid
        """The pack's process id."""

    def policies(self) -> list[PolicySchema]:
        """What the pack reports about its policies (`GetAnalyzerInfo`)."""
        info = self._call(self._stub.GetAnalyzerInfo, empty_pb2.Empty())
        return [
            PolicySchema(
                name=policy.name,
                enforcement_level=_LEVEL_NAMES[policy.enforcementLevel],
                properties=clean_value(json_format.MessageToDict(policy.configSchema.properties)),
                required=tuple(policy.configSchema.required),
            )
            for policy in info.policies
        ]

    def configure(self, config: Mapping[str, PolicyConfig], plan: Plan) -> None:
        """Hand the pack every policy's level and parameters, then the stack it looks at."""
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, policy in config.items():
            entry = request.policyConfig[name]
            entry.enforcementLevel = _LEVELS[policy.enforcement_level]
            entry.properties.update(dict(policy.properties))
        self._call(self._stub.Configure, request)
        stack = analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=plan.stack, project=plan.project, organization="organization", dry_run=True
        )
        self._call(self._stub.ConfigureStack, stack)

    def analyze(self, resource: PlanResource, plan: Plan) -> list[Any]:
        """The diagnostics of every resource policy on one resource (`Analyze`)."""
        request = analyzer_pb2.AnalyzeRequest(
            type=resource.type,
            urn=resource.urn,
            name=resource.name,
            properties=_struct(resource.props),
            options=_options(resource),
        )
        provider = _provider(resource, plan)
        if provider is not None:
            request.provider.CopyFrom(provider)
        return list(self._call(self._stub.Analyze, request).diagnostics)

    def analyze_stack(self, plan: Plan) -> list[Any]:
        """The diagnostics of every stack policy on the whole plan (`AnalyzeStack`)."""
        request = analyzer_pb2.AnalyzeStackRequest()
        for resource in plan.resources:
            item = request.resources.add(
                type=resource.type,
                urn=resource.urn,
                name=resource.name,
                properties=_struct(resource.props),
                options=_options(resource),
                parent=resource.parent or "",
                dependencies=resource.dependencies,
            )
            for key, urns in resource.property_dependencies.items():
                if urns:  # the engine leaves out properties that depend on nothing
                    item.propertyDependencies[key].urns.extend(urns)
            provider = _provider(resource, plan)
            if provider is not None:
                item.provider.CopyFrom(provider)
        return list(self._call(self._stub.AnalyzeStack, request).diagnostics)

    def _call(self, method: Any, request: Any) -> Any:
        try:
            return method(request, timeout=CALL_TIMEOUT_SECONDS)
        except grpc.RpcError as error:
            raise PackError(self._describe_failure(error)) from None


def level_name(level: int) -> str:
    """The config name of a wire enforcement level (`mandatory`)."""
    return _LEVEL_NAMES.get(analyzer_pb2.EnforcementLevel.ValueType(level), "advisory")


def _struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    json_format.ParseDict(dict(values), message)
    return message


def _options(resource: PlanResource) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=resource.protect,
        ignoreChanges=resource.ignore_changes,
        parent=resource.parent or "",
        customTimeouts=analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(),
    )


def _provider(resource: PlanResource, plan: Plan) -> analyzer_pb2.AnalyzerProviderResource | None:
    if resource.provider is None:
        return None
    provider = plan.by_urn(resource.provider)
    if provider is None:
        return None
    return analyzer_pb2.AnalyzerProviderResource(
        type=provider.type,
        urn=provider.urn,
        name=provider.name,
        properties=_struct(provider.props),
    )


@contextmanager
def running_pack(pack_dir: Path, plan: Plan) -> Iterator[Analyzer]:
    """Start the pack in `pack_dir` for `plan`'s stack; stop it however the block ends."""
    if not (pack_dir / "PulumiPolicy.yaml").is_file():
        raise PackError(f"{pack_dir}: not a policy pack (no PulumiPolicy.yaml)")
    env = {
        **os.environ,
        "PULUMI_PROJECT": plan.project,
        "PULUMI_STACK": plan.stack,
        "PULUMI_DRY_RUN": "true",
    }
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.policy", _UNUSED_ENGINE_ADDRESS, "."],
            cwd=pack_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        try:
            port = _read_port(process, errors)
            with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
                stub = analyzer_pb2_grpc.AnalyzerStub(channel)
                yield Analyzer(stub, lambda error: _failure(error, errors), process.pid)
        finally:
            _stop(process)


def _read_port(process: subprocess.Popen[bytes], errors: IO[bytes]) -> int:
    """The port from the pack's first line of output; the rest of its output is drained."""
    lines: queue.Queue[bytes] = queue.Queue()
    assert process.stdout is not None

    def drain(stream: IO[bytes]) -> None:
        for line in iter(stream.readline, b""):
            lines.put(line)
        lines.put(b"")

    threading.Thread(target=drain, args=(process.stdout,), daemon=True).start()
    try:
        first = lines.get(timeout=START_TIMEOUT_SECONDS)
    except queue.Empty:
        raise PackError(
            f"the policy pack printed no port within {START_TIMEOUT_SECONDS:.0f} s"
        ) from None
    text = first.decode(errors="replace").strip()
    if not text.isdigit():
        with contextlib.suppress(subprocess.TimeoutExpired):  # let it finish saying why
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        reason = _last_line(errors) or text or "no output"
        raise PackError(f"the policy pack failed to start: {reason}")
    return int(text)


def _failure(error: grpc.RpcError, errors: IO[bytes]) -> str:
    details = getattr(error, "details", lambda: None)() or str(error)
    last = _last_line(errors)
    return f"the policy pack failed: {details.splitlines()[0] if details else last}"


def _last_line(errors: IO[bytes]) -> str:
    errors.seek(0)
    lines = [line.strip() for line in errors.read().decode(errors="replace").splitlines()]
    return next((line for line in reversed(lines) if line), "")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()
