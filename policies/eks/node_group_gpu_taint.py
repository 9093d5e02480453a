"""GPU node groups carry the GPU taint, so only GPU workloads are scheduled there."""

from __future__ import annotations

from pulumi_policy import Severity, StackValidationArgs

from mlops_platform.policies.common.rule import (
    RuleInfo,
    Settings,
    StackReport,
    StackRule,
    string_list,
)
from mlops_platform.policies.common.stack import describe, of_type
from mlops_platform.policies.common.types import EKS_NODE_GROUP, LAUNCH_TEMPLATE
from mlops_platform.policies.common.values import as_list, dig
from mlops_platform.policies.eks._nodes import (
    GPU_PATTERNS,
    gpu_types,
    instance_types,
    launch_template_of,
)

INFO = RuleInfo(
    name="aws-eks-node-group-gpu-taint",
    description="EKS node groups of GPU instances carry the GPU NoSchedule taint.",
    resource_types=(EKS_NODE_GROUP, LAUNCH_TEMPLATE),
    severity=Severity.MEDIUM,
    remediation=(
        "Add taints=[{key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE'}] to the node "
        "group; GPU workloads tolerate it."
    ),
    params={
        "taintKey": {
            "type": "string",
            "minLength": 1,
            "description": "Taint key GPU node groups carry.",
            "default": "nvidia.com/gpu",
        },
        "gpuInstancePatterns": string_list("Instance type patterns that have GPUs.", GPU_PATTERNS),
    },
)


def _check(args: StackValidationArgs, settings: Settings, report: StackReport) -> None:
    templates = of_type(args.resources, LAUNCH_TEMPLATE)
    key = settings["taintKey"]
    for group in of_type(args.resources, EKS_NODE_GROUP):
        types = instance_types(group, launch_template_of(group, templates))
        gpus = gpu_types(types, settings["gpuInstancePatterns"])
        if not gpus:
            continue
        tainted = any(
            dig(taint, "key") == key and dig(taint, "effect") == "NO_SCHEDULE"
            for taint in as_list(dig(group.props, "taints"))
        )
        if not tainted:
            report(
                f"{describe(group)} runs GPU instances ({', '.join(gpus)}) without the taint "
                f"{key}:NO_SCHEDULE; add it so only GPU workloads land there",
                group.urn,
            )


POLICY = StackRule(INFO, _check)
