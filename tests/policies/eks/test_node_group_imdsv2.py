from __future__ import annotations

from mlops_platform.policies.eks.node_group_imdsv2 import POLICY
from tests.policies.eks._fixtures import GPU_GROUP, LAUNCH_TEMPLATE, NODE_GROUP, TEMPLATE
from tests.policies.harness import Stack, changed, drop_at, set_at


def stack(template: dict[str, object] = TEMPLATE, group: dict[str, object] = GPU_GROUP) -> Stack:
    s = Stack()
    s.add(LAUNCH_TEMPLATE, "gpu-lt", template)
    s.add(NODE_GROUP, "gpu", group, deps={"launchTemplate": "gpu-lt"})
    return s


def test_a_template_requiring_imdsv2_passes() -> None:
    assert stack().check(POLICY) == []


def test_a_template_allowing_imdsv1() -> None:
    s = stack(changed(TEMPLATE, set_at("metadataOptions.httpTokens", "optional")))
    assert s.check(POLICY) == [
        (
            "NodeGroup 'gpu' launches from LaunchTemplate 'gpu-lt', which allows IMDSv1; set "
            "metadata_options.http_tokens='required'",
            s.resources[1].urn,
        )
    ]


def test_a_node_group_without_a_template() -> None:
    s = stack(group=changed(GPU_GROUP, drop_at("launchTemplate")))
    assert [m for m, _ in s.check(POLICY)] == [
        "NodeGroup 'gpu' uses EKS's default launch template, which allows IMDSv1; give it a "
        "launch template with http_tokens 'required'"
    ]


def test_a_template_outside_the_stack() -> None:
    s = Stack()
    s.add(NODE_GROUP, "gpu", GPU_GROUP)
    assert [m for m, _ in s.check(POLICY)] == [
        "NodeGroup 'gpu' uses a launch template outside this stack, so IMDSv2 cannot be checked; "
        "define the template in the stack"
    ]


def test_a_template_linked_by_explicit_name() -> None:
    s = Stack()
    s.add(LAUNCH_TEMPLATE, "gpu-lt", {**TEMPLATE, "name": "gpu-nodes"})
    s.add(NODE_GROUP, "gpu", {**GPU_GROUP, "launchTemplate": {"name": "gpu-nodes", "version": "1"}})
    assert s.check(POLICY) == []
