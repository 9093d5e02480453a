"""Physical names the EKS components produce, and AWS's and Kubernetes' limits on them.

Pulumi auto-names a resource `<logical name>-<7 random characters>` and the provider does not
cap it at the service's limit, so a long component name previews cleanly and fails on the
first real deploy. These checks compute every such name from the component's name and args.
"""

from __future__ import annotations

from collections.abc import Iterable

from mlops_platform.components.core.errors import Problem

AUTONAME_SUFFIX = "-abcdefg"
"""What auto-naming appends: a dash and 7 random characters (its length is what counts)."""
IAM_ROLE_LIMIT = 64
NODE_GROUP_LIMIT = 63
CLUSTER_NAME_LIMIT = 100
HELM_RELEASE_LIMIT = 53
"""Helm stores a release in a Secret named `sh.helm.release.v1.<name>.v<n>`: 53 characters."""
KUBERNETES_NAME_LIMIT = 63
"""A DNS-1123 label: namespaces, Services and the other objects named after a service."""
CLUSTER_NAME_SUFFIX = "-12345678"
"""The cluster's explicit name: its component's name, a dash and 8 hex characters."""


def auto_named(logical: str) -> str:
    """The longest physical name Pulumi gives a resource auto-named from `logical`."""
    return f"{logical}{AUTONAME_SUFFIX}"


def check_length(field: str, value: object, what: str, name: str, limit: int) -> list[Problem]:
    """A problem naming `field`, the resulting `name` and the `limit` when `name` exceeds it."""
    if len(name) <= limit:
        return []
    return [
        Problem(
            field,
            value,
            f"gives the {what} name {name!r} ({len(name)} characters, the provider's "
            f"7-character suffix included); the limit is {limit}",
        )
    ]


def check_cluster_names(name: str, gpu_groups: Iterable[str], system_group: str) -> list[Problem]:
    """The cluster's name, its IAM roles' and its node groups' names, within their limits."""
    problems = check_length(
        "name", name, "EKS cluster", f"{name}{CLUSTER_NAME_SUFFIX}", CLUSTER_NAME_LIMIT
    )
    for role in ("cluster-role", "node-role", "vpc-cni-role", "deployer-role"):
        problems += check_length(
            "name", name, "IAM role", auto_named(f"{name}-{role}"), IAM_ROLE_LIMIT
        )
    problems += check_length(
        "system_node_group.name", system_group, "node group",
        auto_named(f"{name}-system-nodes"), NODE_GROUP_LIMIT,
    )  # fmt: skip
    for index, group in enumerate(gpu_groups):
        problems += check_length(
            f"gpu_node_groups[{index}].name", group, "node group",
            auto_named(f"{name}-gpu-{group}"), NODE_GROUP_LIMIT,
        )  # fmt: skip
    return problems


def check_service_names(name: str, service_name: str) -> list[Problem]:
    """A service's IAM role and its Kubernetes objects' names, within their limits."""
    problems = check_length("name", name, "IAM role", auto_named(f"{name}-role"), IAM_ROLE_LIMIT)
    problems += check_length(
        "service_name", service_name, "Kubernetes object", service_name, KUBERNETES_NAME_LIMIT
    )
    return problems


def check_software_names(name: str, releases: Iterable[str]) -> list[Problem]:
    """The autoscaler's IAM role and every Helm release name, within their limits."""
    problems = check_length(
        "name", name, "IAM role", auto_named(f"{name}-autoscaler-role"), IAM_ROLE_LIMIT
    )
    for release in releases:
        problems += check_length("release", release, "Helm release", release, HELM_RELEASE_LIMIT)
    return problems
