from __future__ import annotations

from mlops_platform.policies.eks.node_group_gpu_capacity import POLICY
from tests.policies.eks._fixtures import GPU_GROUP, NODE_GROUP
from tests.policies.harness import Stack


def stack(*sizes: int, cpu: int = 0) -> Stack:
    s = Stack()
    for index, size in enumerate(sizes):
        s.add(NODE_GROUP, f"gpu-{index}", {**GPU_GROUP, "scalingConfig": {"maxSize": size}})
    if cpu:
        s.add(NODE_GROUP, "cpu", {"instanceTypes": ["m5.large"], "scalingConfig": {"maxSize": cpu}})
    return s


def test_within_the_cap_passes() -> None:
    assert stack(2, 2).check(POLICY) == []


def test_cpu_nodes_do_not_count() -> None:
    assert stack(4, cpu=50).check(POLICY) == []


def test_over_the_cap() -> None:
    assert stack(3, 2).check(POLICY) == [
        (
            "GPU node groups can grow to 5 nodes (gpu-0: 3, gpu-1: 2); the cap in this "
            "environment is 4",
            None,
        )
    ]


def test_the_cap_comes_from_config() -> None:
    assert stack(3, 2).check(POLICY, {"maxGpuNodes": 16}) == []
