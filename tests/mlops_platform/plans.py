"""Plan files for the offline check's tests, in the format of docs/plan-format.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PROJECT = "mlops-platform"


def resource(
    stack: str,
    type_: str,
    name: str,
    props: dict[str, Any] | None = None,
    *,
    protect: bool = False,
    property_dependencies: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """One custom resource at the top of the stack."""
    deps = property_dependencies or {}
    return {
        "urn": urn(stack, type_, name),
        "type": type_,
        "name": name,
        "custom": True,
        "parent": stack_urn(stack),
        "provider": None,
        "protect": protect,
        "retainOnDelete": False,
        "ignoreChanges": [],
        "props": props or {},
        "dependencies": sorted({u for urns in deps.values() for u in urns}),
        "propertyDependencies": deps,
    }


def urn(stack: str, type_: str, name: str) -> str:
    """The URN of a top-level resource of `stack`."""
    return f"urn:pulumi:{stack}::{PROJECT}::{type_}::{name}"


def stack_urn(stack: str) -> str:
    """The URN of the stack resource."""
    return urn(stack, "pulumi:pulumi:Stack", f"{PROJECT}-{stack}")


def write_plan(path: Path, stack: str, resources: list[dict[str, Any]]) -> Path:
    """Write a plan of `resources` (the stack resource is added) to `path`."""
    root = {
        **resource(stack, "pulumi:pulumi:Stack", f"{PROJECT}-{stack}"),
        "custom": False,
        "parent": None,
    }
    document = {"version": 1, "project": PROJECT, "stack": stack, "resources": [root, *resources]}
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path
