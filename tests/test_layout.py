"""The layout is the architecture: no import cycles, and no area's private modules used outside it.

An area is a package directly under `components/` (`core`, `network`, `sagemaker`, `eks`, ...) or
`policies/` (a service); its `_`-modules are its own. Imports are read from the source, so a
cycle or a reach into another area's internals fails here before it can confuse a reader.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TREES = ("components", "policies", "lambdas", "infra", "mlops_platform", "tests", "bench")
LINKED = {"components", "policies", "lambdas"}
"""Folders that import as `mlops_platform.<folder>`."""


def _sources() -> Iterator[Path]:
    for tree in TREES:
        for path in (ROOT / tree).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if relative.parts[0] == "mlops_platform" and relative.parts[1] in LINKED:
                continue  # the same files, reached through the link
            yield path


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[0] in LINKED:
        parts.insert(0, "mlops_platform")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> Iterator[str]:
    module = _module_of(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _area(module: str) -> str | None:
    """`mlops_platform.components.eks` for any module under it; None outside the library.

    Tests mirror the tree: `tests.components.eks...` belongs to the area it tests.
    """
    parts = module.split(".")
    if parts[0] == "tests" and len(parts) >= 3 and parts[1] in LINKED:
        parts = ["mlops_platform", *parts[1:]]
    if len(parts) >= 3 and parts[0] == "mlops_platform" and parts[1] in LINKED:
        return ".".join(parts[:3])
    return None


def _private(module: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in module.split("."))


GRAPH = {_module_of(path): set(_imports(path)) for path in _sources()}


def test_no_module_imports_a_private_module_of_another_area() -> None:
    reaching = sorted(
        f"{importer} imports {imported}"
        for importer, imports in GRAPH.items()
        for imported in imports
        if _private(imported)
        and imported.startswith("mlops_platform.")
        and _area(imported) not in (None, _area(importer))
    )
    assert reaching == []


@pytest.mark.parametrize("tree", ["components", "policies", "lambdas"])
def test_the_library_has_no_import_cycles(tree: str) -> None:
    prefix = f"mlops_platform.{tree}"
    nodes = {module for module in GRAPH if module.startswith(prefix)}
    edges = {module: {i for i in GRAPH[module] if i in nodes and i != module} for module in nodes}
    cycles = []
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges[module]):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(nodes):
        if module not in state:
            visit(module, [module])
    # A package's __init__ re-exporting its modules is not a cycle worth reporting.
    assert [c for c in cycles if not _reexport(c)] == []


def _reexport(cycle: str) -> bool:
    hops = cycle.split(" -> ")
    return any(b.startswith(a + ".") or a.startswith(b + ".") for a, b in itertools.pairwise(hops))
