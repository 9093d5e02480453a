"""EKS managed node groups: their specs and the rules they follow, as pure values.

GPU groups run the NVIDIA accelerated AMI, carry the `nvidia.com/gpu` NoSchedule taint so only
pods that ask for GPUs land there, and an accelerator label that the NVIDIA device plugin, the
cluster autoscaler and model services select on. Every node boots from a launch template that
requires IMDSv2 with a hop limit of 1 (pods cannot reach the node's role) and encrypts its disk.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from mlops_platform.components.core.checks import is_whole_in
from mlops_platform.components.core.errors import Problem

CapacityType = Literal["ON_DEMAND", "SPOT"]
"""`ON_DEMAND`: nodes stay until removed; `SPOT`: cheaper, reclaimed at two minutes' notice."""
TaintEffect = Literal["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]

GPU_FAMILIES: Mapping[str, str] = {
    "g4dn": "nvidia-t4",
    "g5": "nvidia-a10g",
    "g6": "nvidia-l4",
    "gr6": "nvidia-l4",
    "g6e": "nvidia-l40s",
    "p4d": "nvidia-a100",
    "p4de": "nvidia-a100",
    "p5": "nvidia-h100",
    "p5e": "nvidia-h200",
    "p5en": "nvidia-h200",
}
"""x86 NVIDIA instance families the platform runs models on, and the GPU each one carries."""
ACCELERATORS = tuple(sorted(set(GPU_FAMILIES.values())))
"""Values of the accelerator label, one per GPU model."""
ACCELERATOR_LABEL = "k8s.amazonaws.com/accelerator"
"""The node label the cluster autoscaler reads to know a node has GPUs; services select on it."""
GPU_RESOURCE = "nvidia.com/gpu"
"""The extended resource the NVIDIA device plugin advertises and pods request."""
GPU_AMI_TYPE = "AL2023_x86_64_NVIDIA"
SYSTEM_AMI_TYPE = "AL2023_x86_64_STANDARD"
MAX_NODES = 450
"""EKS managed node groups hold at most 450 nodes."""

_INSTANCE_TYPE = re.compile(r"^([a-z][a-z0-9-]*)\.([0-9a-z]+)$")
_GROUP_NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
_LABEL_VALUE = re.compile(r"(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?")
_PLATFORM_LABELS = frozenset({"mlops/node-group", "nvidia.com/gpu.present", ACCELERATOR_LABEL})
_LABEL_KEY = re.compile(r"^([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")


@dataclass(frozen=True, kw_only=True)
class Taint:
    """A Kubernetes taint on every node of a group."""

    key: str
    value: str = ""
    effect: TaintEffect = "NO_SCHEDULE"

    def __str__(self) -> str:
        """Read as `key=value:NoSchedule`, as kubectl shows it."""
        effect = "".join(part.capitalize() for part in self.effect.split("_"))
        return f"{self.key}={self.value}:{effect}"


GPU_TAINT = Taint(key=GPU_RESOURCE, value="true", effect="NO_SCHEDULE")
"""Keeps every pod that does not tolerate it off GPU nodes."""


@dataclass(frozen=True, kw_only=True)
class NodeGroupSpec:
    """One managed node group: its instances, size and scheduling rules."""

    name: str
    """Short name, part of the child names and the `mlops/node-group` label (`a10g`)."""
    instance_types: Sequence[str]
    """Instance types, most preferred first; GPU groups take GPU families only."""
    min_size: int
    """Fewest nodes; 0 lets an idle group cost nothing."""
    max_size: int
    """Most nodes the autoscaler may start."""
    desired_size: int | None = None
    """Nodes at creation; defaults to `min_size`. Later the autoscaler owns it."""
    capacity_type: CapacityType = "ON_DEMAND"
    """On-demand by default; spot only where interruptions are acceptable."""
    disk_size_gib: int = 100
    """Encrypted gp3 root volume; GPU images and model caches are large."""
    taints: Sequence[Taint] | None = None
    """Taints; None means the group's default (GPU groups: `nvidia.com/gpu=true:NoSchedule`)."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Extra node labels, on top of the group and accelerator labels."""

    @property
    def initial_size(self) -> int:
        """The desired size at creation."""
        return self.min_size if self.desired_size is None else self.desired_size


def accelerator_of(instance_type: str) -> str | None:
    """The GPU model an instance type carries (`g5.xlarge` -> `nvidia-a10g`), None if no GPU."""
    match = _INSTANCE_TYPE.match(instance_type)
    return GPU_FAMILIES.get(match.group(1)) if match else None


def group_accelerator(spec: NodeGroupSpec) -> str | None:
    """The accelerator of a GPU group (its first instance type's)."""
    return accelerator_of(spec.instance_types[0]) if spec.instance_types else None


def check_node_group(path: str, spec: NodeGroupSpec, *, gpu: bool) -> list[Problem]:
    """Every problem with one group; `path` places the fields (`gpu_node_groups[0]`)."""
    problems: list[Problem] = []
    if not isinstance(spec.name, str) or not _GROUP_NAME.match(spec.name):
        problems.append(
            Problem(
                f"{path}.name", spec.name, "1-31 lower-case letters, digits or -, from a letter"
            )
        )
    problems += _check_sizes(path, spec)
    problems += _check_instance_types(path, spec, gpu=gpu)
    if spec.capacity_type not in get_args(CapacityType):
        allowed = ", ".join(get_args(CapacityType))
        problems.append(Problem(f"{path}.capacity_type", spec.capacity_type, f"allowed: {allowed}"))
    if not 20 <= spec.disk_size_gib <= 16384:  # noqa: PLR2004 - gp3 volume limits
        problems.append(
            Problem(f"{path}.disk_size_gib", spec.disk_size_gib, "from 20 to 16384 GiB")
        )
    problems += [
        Problem(f"{path}.labels[{key!r}]", key, "a label key such as team or example.com/tier")
        for key in spec.labels
        if not _LABEL_KEY.match(key)
    ]
    problems += [
        Problem(
            f"{path}.labels[{key!r}]",
            value,
            "a label value Kubernetes accepts: at most 63 letters, digits, -, _ or ., starting "
            "and ending with a letter or digit (quote true, 1.0 and dates)",
        )
        for key, value in spec.labels.items()
        if not isinstance(value, str) or not _LABEL_VALUE.fullmatch(value)
    ]
    problems += [
        Problem(f"{path}.labels[{key!r}]", spec.labels[key], "the platform sets this label itself")
        for key in sorted(set(spec.labels) & _PLATFORM_LABELS)
    ]
    if gpu and spec.taints is not None and GPU_TAINT not in spec.taints:
        problems.append(
            Problem(
                f"{path}.taints",
                [str(taint) for taint in spec.taints],
                f"a GPU group needs the taint {GPU_TAINT}, so only pods that ask for GPUs "
                "land on its nodes",
            )
        )
    return problems


def _check_sizes(path: str, spec: NodeGroupSpec) -> list[Problem]:
    sizes = {
        "min_size": spec.min_size,
        "max_size": spec.max_size,
        "desired_size": spec.initial_size,
    }
    bad = [
        Problem(f"{path}.{key}", value, f"a whole number from 0 to {MAX_NODES}")
        for key, value in sizes.items()
        if not is_whole_in(value, 0, MAX_NODES)
    ]
    if bad:
        return bad
    problems = []
    if spec.max_size < 1:
        problems.append(Problem(f"{path}.max_size", spec.max_size, "at least 1"))
    if spec.min_size > spec.initial_size:
        problems.append(
            Problem(
                f"{path}.min_size",
                spec.min_size,
                f"above the desired size {spec.initial_size}; the sizes must read "
                "minimum <= desired <= maximum",
            )
        )
    if spec.min_size > spec.max_size:
        problems.append(
            Problem(
                f"{path}.min_size",
                spec.min_size,
                f"above the maximum size {spec.max_size}; the sizes must read "
                "minimum <= desired <= maximum",
            )
        )
    elif spec.initial_size > spec.max_size:
        problems.append(
            Problem(
                f"{path}.desired_size",
                spec.initial_size,
                f"above the maximum size {spec.max_size}; the sizes must read "
                "minimum <= desired <= maximum",
            )
        )
    return problems


def _check_instance_types(path: str, spec: NodeGroupSpec, *, gpu: bool) -> list[Problem]:
    if not spec.instance_types:
        return [Problem(f"{path}.instance_types", [], "at least one instance type")]
    problems = []
    families = ", ".join(GPU_FAMILIES)
    for index, instance_type in enumerate(spec.instance_types):
        where = f"{path}.instance_types[{index}]"
        if not isinstance(instance_type, str) or not _INSTANCE_TYPE.match(instance_type):
            problems.append(Problem(where, instance_type, "an instance type such as g5.xlarge"))
        elif gpu and accelerator_of(instance_type) is None:
            problems.append(
                Problem(
                    where,
                    instance_type,
                    f"not a GPU instance type; GPU groups take the families {families}",
                )
            )
        elif not gpu and accelerator_of(instance_type) is not None:
            problems.append(Problem(where, instance_type, "a GPU type; put it in a GPU node group"))
    found = sorted({a for t in spec.instance_types if (a := accelerator_of(str(t))) is not None})
    if gpu and len(found) > 1:
        problems.append(
            Problem(
                f"{path}.instance_types",
                list(spec.instance_types),
                f"mixes GPU models ({', '.join(found)}); one group, one GPU model",
            )
        )
    return problems


def node_labels(spec: NodeGroupSpec, *, gpu: bool) -> dict[str, str]:
    """The labels every node of the group carries."""
    labels = {**spec.labels, "mlops/node-group": spec.name}
    accelerator = group_accelerator(spec) if gpu else None
    if accelerator is not None:
        labels[ACCELERATOR_LABEL] = accelerator
        labels["nvidia.com/gpu.present"] = "true"  # what the device plugin's chart selects on
    return labels


def node_taints(spec: NodeGroupSpec, *, gpu: bool) -> list[Taint]:
    """The group's taints: as given, or its default."""
    if spec.taints is not None:
        return list(spec.taints)
    return [GPU_TAINT] if gpu else []
