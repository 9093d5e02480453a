from __future__ import annotations

from mlops_platform.policies.eks.node_group_gpu_taint import POLICY
from tests.policies.eks._fixtures import GPU_GROUP, LAUNCH_TEMPLATE, NODE_GROUP, TEMPLATE
from tests.policies.harness import Stack, changed, set_at


def stack(group: dict[str, object] = GPU_GROUP) -> Stack:
    s = Stack()
    s.add(LAUNCH_TEMPLATE, "gpu-lt", TEMPLATE)
    s.add(NODE_GROUP, "gpu", group, deps={"launchTemplate": "gpu-lt"})
    return s


MISSING = (
    "NodeGroup 'gpu' runs GPU instances (g5.xlarge) without the taint nvidia.com/gpu:NO_SCHEDULE; "
    "add it so only GPU workloads land there"
)


def test_a_tainted_gpu_group_passes() -> None:
    assert stack().check(POLICY) == []


def test_an_untainted_gpu_group() -> None:
    s = stack(changed(GPU_GROUP, set_at("taints", [])))
    assert s.check(POLICY) == [(MISSING, s.resources[1].urn)]


def test_a_taint_with_another_effect_does_not_count() -> None:
    s = stack(changed(GPU_GROUP, set_at("taints.0.effect", "PREFER_NO_SCHEDULE")))
    assert [m for m, _ in s.check(POLICY)] == [MISSING]


def test_gpu_instances_from_the_template_count() -> None:
    group = changed(GPU_GROUP, lambda p: (p.pop("instanceTypes"), p.update(taints=[])))
    assert [m for m, _ in stack(group).check(POLICY)] == [MISSING]


def test_a_cpu_group_needs_no_taint() -> None:
    group = changed(GPU_GROUP, lambda p: p.update(instanceTypes=["m5.large"], taints=[]))
    assert stack(group).check(POLICY) == []


def test_the_taint_key_comes_from_config() -> None:
    s = stack(changed(GPU_GROUP, set_at("taints.0.key", "gpu")))
    assert s.check(POLICY, {"taintKey": "gpu"}) == []
