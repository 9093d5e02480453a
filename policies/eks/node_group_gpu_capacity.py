"""GPU node groups together stay within the environment's node cap."""

from __future__ import annotations

from pulumi_policy import Severity, StackValidationArgs

from mlops_platform.policies.common.rule import (
    RuleInfo,
    Settings,
    StackReport,
    StackRule,
    integer,
    string_list,
)
from mlops_platform.policies.common.stack import of_type
from mlops_platform.policies.common.types import EKS_NODE_GROUP, LAUNCH_TEMPLATE
from mlops_platform.policies.common.values import as_number, dig, display
from mlops_platform.policies.eks._nodes import (
    GPU_PATTERNS,
    gpu_types,
    instance_types,
    launch_template_of,
)

INFO = RuleInfo(
    name="aws-eks-node-group-gpu-capacity",
    description=(
        "The GPU node groups of a stack can grow to no more nodes than the environment's cap."
    ),
    resource_types=(EKS_NODE_GROUP, LAUNCH_TEMPLATE),
    severity=Severity.MEDIUM,
    remediation=(
        "Lower scaling_config.max_size of the GPU node groups, or raise maxGpuNodes in the "
        "environment's policy config after the budget owner agrees."
    ),
    params={
        "maxGpuNodes": integer("Most GPU nodes all GPU node groups may scale to together.", 4),
        "gpuInstancePatterns": string_list("Instance type patterns that have GPUs.", GPU_PATTERNS),
    },
)


def _check(args: StackValidationArgs, settings: Settings, report: StackReport) -> None:
    templates = of_type(args.resources, LAUNCH_TEMPLATE)
    sizes: list[tuple[str, float]] = []
    for group in of_type(args.resources, EKS_NODE_GROUP):
        types = instance_types(group, launch_template_of(group, templates))
        if gpu_types(types, settings["gpuInstancePatterns"]):
            size = as_number(dig(group.props, "scalingConfig", "maxSize")) or 0.0
            sizes.append((group.name, size))
    total = sum(size for _, size in sizes)
    cap = settings["maxGpuNodes"]
    if total > cap:
        parts = ", ".join(f"{name}: {display(size)}" for name, size in sizes)
        report(
            f"GPU node groups can grow to {display(total)} nodes ({parts}); the cap in this "
            f"environment is {display(cap)}",
            None,
        )


POLICY = StackRule(INFO, _check)
