"""Kubernetes manifests of a previewed stack: every Kubernetes object it registered, as YAML.

The objects come from the recorded registrations (the `kubernetes:` resources whose inputs hold
an `apiVersion` and a `kind`), so what gets validated is exactly what the program registered.
Helm releases and providers are not Kubernetes objects and are left out.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from mlops_platform.preview.recorder import Registration, Registry

CLUSTER_SCOPED_DIR = "_cluster"
"""Where objects without a namespace (Namespace, ...) go."""
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def kubernetes_objects(registry: Registry) -> list[dict[str, Any]]:
    """Every Kubernetes object the stack registered, sorted by URN."""
    return [_manifest(r) for r in registry if _is_object(r)]


def _is_object(registration: Registration) -> bool:
    return (
        registration.custom
        and registration.type.startswith("kubernetes:")
        and "apiVersion" in registration.inputs
        and "kind" in registration.inputs
    )


def _manifest(registration: Registration) -> dict[str, Any]:
    """The object with `apiVersion`, `kind` and `metadata` first, every mapping below sorted.

    Sorted, so that two previews of the same program write byte-identical files.
    """
    inputs = _sorted(registration.inputs)
    first = ("apiVersion", "kind", "metadata")
    return {
        **{key: inputs[key] for key in first if key in inputs},
        **{key: value for key, value in inputs.items() if key not in first},
    }


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def relative_path(manifest: dict[str, Any]) -> Path:
    """`<namespace>/<kind>-<name>.yaml`, cluster-scoped objects under `_cluster/`."""
    metadata = manifest.get("metadata") or {}
    namespace = metadata.get("namespace") or CLUSTER_SCOPED_DIR
    name = f"{manifest['kind']}-{metadata.get('name', 'unnamed')}".lower()
    return Path(_UNSAFE.sub("_", namespace)) / f"{_UNSAFE.sub('_', name)}.yaml"


def write_manifests(directory: Path, registry: Registry) -> list[Path]:
    """Replace `directory` with one YAML file per Kubernetes object; returns the files written.

    The directory is cleared first, so an object the program no longer registers leaves no file
    behind. A stack without Kubernetes objects gets no directory.
    """
    clear_manifests(directory)
    written = []
    for manifest in kubernetes_objects(registry):
        path = directory / relative_path(manifest)
        if path in written:
            raise ValueError(f"two Kubernetes objects would be written to {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            yaml.safe_dump(manifest, sort_keys=False, default_flow_style=False), encoding="utf-8"
        )
        written.append(path)
    return written


def clear_manifests(directory: Path) -> None:
    """Remove an earlier export, so a failed preview leaves none that could pass for its own."""
    if directory.is_dir():
        shutil.rmtree(directory)
