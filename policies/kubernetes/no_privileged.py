"""Workloads run unprivileged and off the host's namespaces."""

from __future__ import annotations

from typing import Any

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import (
    Report,
    ResourceRule,
    RuleInfo,
    Settings,
    string_list,
)
from mlops_platform.policies.common.values import as_list, dig, is_true, known, raise_first

POD_SPEC_PATHS = {
    "kubernetes:core/v1:Pod": ("spec",),
    "kubernetes:apps/v1:Deployment": ("spec", "template", "spec"),
    "kubernetes:apps/v1:DaemonSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:StatefulSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:ReplicaSet": ("spec", "template", "spec"),
    "kubernetes:batch/v1:Job": ("spec", "template", "spec"),
    "kubernetes:batch/v1:CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
"""Where each workload kind keeps its pod spec."""
HOST_NAMESPACES = ("hostNetwork", "hostPID", "hostIPC")

INFO = RuleInfo(
    name="kubernetes-workload-no-privileged",
    description=(
        "Kubernetes workloads run no privileged containers and share no host namespace, "
        "outside the namespaces allowed to."
    ),
    resource_types=tuple(POD_SPEC_PATHS),
    severity=Severity.HIGH,
    remediation=(
        "Remove securityContext.privileged and hostNetwork/hostPID/hostIPC; system agents that "
        "need them run in an allowed namespace."
    ),
    params={
        "allowedNamespaces": string_list(
            "Namespaces whose workloads may be privileged (system agents).", ["kube-system"]
        )
    },
)


def _containers(spec: Any) -> list[Any]:
    return [*as_list(dig(spec, "initContainers")), *as_list(dig(spec, "containers"))]


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    # A namespace not created yet is one this stack creates: not a system namespace by name.
    namespace, pending = known(args.props, "metadata", "namespace")
    if pending is None and (namespace or "default") in settings["allowedNamespaces"]:
        return
    spec = dig(args.props, *POD_SPEC_PATHS[args.resource_type])
    for index, container in enumerate(_containers(spec)):
        if is_true(dig(container, "securityContext", "privileged")):
            name, unknown = known(container, "name")
            label = f"container {index + 1}" if unknown else f"container {name!r}"
            report(f"{label} runs privileged; remove privileged")
    for key in HOST_NAMESPACES:
        if is_true(dig(spec, key)):
            report(f"the pod shares the host's namespace ({key}); remove it")
    raise_first(pending)


POLICY = ResourceRule(INFO, _check)
