"""Preview a stack offline: run its real program under the mock runtime and write its plan."""

from __future__ import annotations

import contextlib
import runpy
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pulumi

from mlops_platform.preview.endpoint_summary import endpoint_lines
from mlops_platform.preview.manifests import clear_manifests, write_manifests
from mlops_platform.preview.mocks import DEFAULT_REGION, DeterministicMocks
from mlops_platform.preview.plan import build_plan, counts_by_component, counts_by_type, write_plan
from mlops_platform.preview.project import PulumiProject
from mlops_platform.preview.recorder import STACK_TYPE, Registration, Registry, run_program
from mlops_platform.preview.release_summary import release_lines


@dataclass(frozen=True)
class StackPreview:
    """The outcome of previewing one stack."""

    stack: str
    registry: Registry
    plan_path: Path
    seconds: float
    manifests: tuple[Path, ...] = ()
    """The Kubernetes objects written under `DIR/<stack>/k8s/`."""


class Progress:
    """Reports registrations as they happen: a live counter on a terminal, lines otherwise."""

    def __init__(self, stream: TextIO, *, verbose: bool = False) -> None:
        self._stream = stream
        self._verbose = verbose
        self._live = stream.isatty() and not verbose
        self._stack = ""
        self._count = 0

    def start(self, stack: str) -> None:
        """A stack's program starts."""
        self._stack, self._count = stack, 0
        self._write(f"{stack}: running the program under the mock runtime\n")

    def registered(self, registration: Registration) -> None:
        """One resource was registered."""
        self._count += 1
        if self._verbose:
            self._write(f"  + {registration.type}  {registration.name}\n")
        elif self._live:
            self._write(f"\r{self._stack}: {self._count} resources registered")

    def finish(self) -> None:
        """The stack's program ended, well or not."""
        if self._live:
            self._write("\r\033[K")

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()


def preview_stack(
    project: PulumiProject,
    stack: str,
    out_dir: Path,
    progress: Progress,
    *,
    plan_name: str | None = None,
    stack_outputs: Mapping[str, Any] | None = None,
) -> StackPreview:
    """Run `stack`'s program; write `out_dir/<plan>.json` and its objects under `<plan>/k8s/`.

    `plan_name` defaults to the stack's name; `stack_outputs` are what a StackReference of the
    program reads. Any earlier plan is removed first, before the stack file is read, so a failed
    run (an unreadable file too) leaves no stale plan that could pass for this one. Raises what
    the program raises (`InvalidInputError` for bad config).
    """
    name = plan_name or stack
    plan_path = out_dir / f"{name}.json"
    plan_path.unlink(missing_ok=True)
    manifest_dir = out_dir / name / "k8s"
    clear_manifests(manifest_dir)
    config = project.stack_config(stack)
    mocks = DeterministicMocks(
        region=config.values.get("aws:region", DEFAULT_REGION), stack_outputs=stack_outputs
    )
    started = time.perf_counter()
    progress.start(name)
    try:
        # The engine runs the program from the project directory, as `runpy.run_path(main)`.
        with contextlib.chdir(project.directory):
            registry = run_program(
                lambda: _run_and_export(project.program),
                project=project.name,
                stack=stack,
                config=config.values,
                secret_keys=config.secret_keys,
                mocks=mocks,
                on_register=progress.registered,
            )
    finally:
        progress.finish()
    write_plan(plan_path, build_plan(project.name, stack, registry))
    manifests = tuple(write_manifests(manifest_dir, registry))
    return StackPreview(name, registry, plan_path, time.perf_counter() - started, manifests)


def _run_and_export(program: Path) -> None:
    """Run the program as the engine does, then register its stack outputs as the engine would.

    Under the mock runtime the stack never registers its exports by itself; a StackReference
    of the next layer reads them.
    """
    runpy.run_path(str(program.resolve()), run_name="__main__")
    root = pulumi.runtime.settings.get_root_resource()
    if isinstance(root, pulumi.runtime.stack.Stack):
        # The test runner registered the stack's (empty) outputs before the program ran; this
        # is what the engine's run_in_stack registers after it.
        root.register_outputs(pulumi.runtime.stack.massage(root.outputs, []))


def preview_layers(
    project: PulumiProject, stack: str, out_dir: Path, progress: Progress
) -> list[StackPreview]:
    """The stack's platform layer, then its serving layer (`<stack>-serving`) when it has one.

    The serving layer's StackReference reads the outputs the platform layer's program exported.
    """
    platform = preview_stack(project, stack, out_dir, progress)
    serving = project.serving_layer()
    if serving is None:
        return [platform]
    outputs = stack_outputs(platform.registry)
    layer = preview_stack(
        serving, stack, out_dir, progress, plan_name=f"{stack}-serving", stack_outputs=outputs
    )
    return [platform, layer]


def stack_outputs(registry: Registry) -> dict[str, Any]:
    """What a stack's program exported (the outputs of its `pulumi:pulumi:Stack`)."""
    stacks = registry.all(STACK_TYPE)
    return registry.outputs(stacks[0]) if stacks else {}


def summary(preview: StackPreview) -> str:
    """Resource counts by component and by type, for people reading a terminal or a CI log."""
    by_type = counts_by_type(preview.registry)
    lines = [
        f"{preview.stack}: {sum(by_type.values())} resources in {preview.seconds:.1f} s"
        f" -> {shown(preview.plan_path)}",
        "  by component:",
    ]
    if preview.manifests:
        lines.insert(
            1,
            f"  {len(preview.manifests)} Kubernetes objects -> "
            f"{shown(preview.plan_path.parent / preview.stack / 'k8s')}",
        )
    components = counts_by_component(preview.registry)
    width = max((len(f"{t}  {n}") for t, n, _ in components), default=0)
    lines += [f"    {f'{t}  {n}':<{width}}  {count:>4}" for t, n, count in components]
    lines.append("  by type:")
    width = max((len(t) for t in by_type), default=0)
    lines += [f"    {t:<{width}}  {count:>4}" for t, count in sorted(by_type.items())]
    return "\n".join(lines + endpoint_lines(preview.registry) + release_lines(preview.registry))


def shown(path: Path) -> str:
    """`path` relative to the working directory when it lies below it, as people typed it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
