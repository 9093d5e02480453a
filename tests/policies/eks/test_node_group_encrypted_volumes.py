from __future__ import annotations

from mlops_platform.policies.eks.node_group_encrypted_volumes import POLICY
from tests.policies.eks._fixtures import GPU_GROUP, LAUNCH_TEMPLATE, NODE_GROUP, TEMPLATE
from tests.policies.harness import Stack, changed, drop_at, set_at


def stack(template: dict[str, object] = TEMPLATE, group: dict[str, object] = GPU_GROUP) -> Stack:
    s = Stack()
    s.add(LAUNCH_TEMPLATE, "gpu-lt", template)
    s.add(NODE_GROUP, "gpu", group, deps={"launchTemplate": "gpu-lt"})
    return s


def messages(s: Stack) -> list[str]:
    return [message for message, _ in s.check(POLICY)]


def test_encrypted_volumes_pass() -> None:
    assert messages(stack()) == []


def test_a_boolean_true_counts_as_encrypted() -> None:
    template = changed(TEMPLATE, set_at("blockDeviceMappings.0.ebs.encrypted", True))
    assert messages(stack(template)) == []


def test_an_unencrypted_volume() -> None:
    template = changed(TEMPLATE, set_at("blockDeviceMappings.0.ebs.encrypted", "false"))
    assert messages(stack(template)) == [
        "NodeGroup 'gpu' launches from LaunchTemplate 'gpu-lt', which leaves /dev/xvda "
        "unencrypted; set ebs.encrypted 'true'"
    ]


def test_a_template_that_maps_no_volume() -> None:
    template = changed(TEMPLATE, drop_at("blockDeviceMappings"))
    assert messages(stack(template)) == [
        "NodeGroup 'gpu' launches from LaunchTemplate 'gpu-lt', which maps no EBS volume, so the "
        "root volume is encrypted only if the account encrypts EBS by default; map it with "
        "ebs.encrypted 'true'"
    ]


def test_a_node_group_without_a_template() -> None:
    assert messages(stack(group=changed(GPU_GROUP, drop_at("launchTemplate")))) == [
        "NodeGroup 'gpu' has no launch template in this stack, so its volumes are encrypted only "
        "if the account encrypts EBS by default; give it one"
    ]
