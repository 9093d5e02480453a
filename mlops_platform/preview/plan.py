"""Plan files: every resource a stack would register, in the format of docs/plan-format.md."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from mlops_platform.preview.recorder import STACK_TYPE, Registration, Registry

PLAN_VERSION = 1


def build_plan(project: str, stack: str, registry: Registry) -> dict[str, Any]:
    """The plan document of one stack: resources sorted by URN."""
    return {
        "version": PLAN_VERSION,
        "project": project,
        "stack": stack,
        "resources": [_resource(registration) for registration in registry],
    }


def _resource(registration: Registration) -> dict[str, Any]:
    return {
        "urn": registration.urn,
        "type": registration.type,
        "name": registration.name,
        "custom": registration.custom,
        "parent": registration.parent,
        "provider": registration.provider,
        "protect": registration.protect,
        "retainOnDelete": registration.retain_on_delete,
        "ignoreChanges": list(registration.ignore_changes),
        "props": registration.inputs,
        "dependencies": list(registration.dependencies),
        "propertyDependencies": {
            key: list(urns) for key, urns in registration.property_dependencies.items()
        },
    }


def render(plan: dict[str, Any]) -> str:
    """The plan as stable JSON text: sorted keys, two-space indent, final newline."""
    return json.dumps(plan, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_plan(path: Path, plan: dict[str, Any]) -> None:
    """Write the plan atomically: readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; a plan is for reviewers to read
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(render(plan))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def counts_by_type(registry: Registry) -> Counter[str]:
    """How many resources of each type the stack registers, components and providers included."""
    return Counter(r.type for r in registry if r.type != STACK_TYPE)


def counts_by_component(registry: Registry) -> list[tuple[str, str, int]]:
    """For each component: its type, its name and how many resources it holds, all levels down."""
    rows = []
    for component in registry:
        if component.custom or component.type == STACK_TYPE:
            continue
        rows.append((component.type, component.name, len(registry.descendants_of(component))))
    return sorted(rows)
