"""Node groups, their launch templates and what they run."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

from pulumi_policy import PolicyResource

from mlops_platform.policies.common.stack import explicit_names
from mlops_platform.policies.common.values import dig, is_set, text_list


def uses_launch_template(node_group: PolicyResource) -> bool:
    """Whether the node group names a launch template (by id or name)."""
    return is_set(node_group.props, "launchTemplate", "id") or is_set(
        node_group.props, "launchTemplate", "name"
    )


def launch_template_of(
    node_group: PolicyResource, templates: Sequence[PolicyResource]
) -> PolicyResource | None:
    """The stack's launch template the node group uses, if it is in the stack."""
    wanted = {template.urn for template in templates}
    for dependency in node_group.property_dependencies.get("launchTemplate", []):
        if dependency.urn in wanted:
            return dependency
    names = set(text_list(dig(node_group.props, "launchTemplate", "name")))
    names |= set(text_list(dig(node_group.props, "launchTemplate", "id")))
    for template in templates:
        if names & explicit_names(template):
            return template
    return None


def instance_types(node_group: PolicyResource, template: PolicyResource | None) -> list[str]:
    """The instance types the node group launches: its own list, else its template's type."""
    types = text_list(dig(node_group.props, "instanceTypes"))
    if not types and template is not None:
        types = text_list(dig(template.props, "instanceType"))
    return types


def gpu_types(types: Sequence[str], patterns: Sequence[str]) -> list[str]:
    """The instance types that match a GPU pattern (`g5.*`, `p4d.*`)."""
    return [t for t in types if any(fnmatch.fnmatchcase(t, p) for p in patterns)]


GPU_PATTERNS = [
    "g4dn.*",
    "g5.*",
    "g5g.*",
    "g6.*",
    "g6e.*",
    "gr6.*",
    "p3.*",
    "p3dn.*",
    "p4d.*",
    "p4de.*",
    "p5.*",
    "p5e.*",
    "p5en.*",
]
"""NVIDIA GPU instance families."""
