"""What the policy pack enforces as mandatory, checked on the stack's config first.

Every limit comes from the pack (`pack_limits`), so config and pack cannot drift apart: a
stack file the pack would refuse gets a message naming its key before a plan exists.
Rules the config cannot break (the components always comply) are listed, with the reason, in
`tests/infra/test_pack_agreement.py`.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

from infra.pack_limits import is_mandatory, parameter
from infra.schema import NAMESPACE
from infra.stack_rules import Built
from mlops_platform.components.core import Problem
from mlops_platform.components.sagemaker import ModelEndpointArgs

RETENTION = "aws-cloudwatch-log-group-retention"
INSTANCE_TYPES = "aws-governance-instance-type-allowed"
GPU_CAPACITY = "aws-eks-node-group-gpu-capacity"
DATA_CAPTURE = "aws-sagemaker-endpoint-configuration-data-capture"
SAFE_ROLLOUT = "aws-sagemaker-endpoint-safe-rollout"
ISOLATION = "aws-sagemaker-model-network-isolation"
MIN_INSTANCES = "aws-sagemaker-endpoint-configuration-min-instances"
MIN_CAPACITY = "aws-appautoscaling-target-min-capacity"
PROTECTED = "aws-governance-stateful-resource-protected"


def pack_rules(built: Built, environment: str | None, *, protect_data: bool) -> list[Problem]:
    """Every problem the pack's mandatory rules would find in `environment`, by config path."""
    if environment is None:
        return []
    problems: list[Problem] = []
    if is_mandatory(environment, PROTECTED) and not protect_data:
        problems.append(
            Problem(
                f"{NAMESPACE}:protectData",
                False,
                f"{environment} must protect its data; remove the key or set it to true",
            )
        )
    days = parameter(environment, RETENTION, "minimumDays")
    retained: list[tuple[str, object, str]] = [
        ("network.flowLogRetentionDays", built.network, "flow_log_retention_days"),
        ("cluster.logRetentionDays", built.cluster, "log_retention_days"),
    ]
    retained += [
        (f"endpoints[{index}].logRetentionDays", endpoint.args, "log_retention_days")
        for index, endpoint in enumerate(built.endpoints)
        if endpoint is not None
    ]
    for where, args, name in retained:
        if days is not None and args is not None and getattr(args, name) < days:
            problems.append(
                Problem(
                    f"{NAMESPACE}:{where}",
                    getattr(args, name),
                    f"the pack ({RETENTION}) keeps logs at least {days} days in {environment}",
                )
            )
    problems += _instance_types(built, environment)
    problems += _gpu_capacity(built, environment)
    for index, endpoint in enumerate(built.endpoints):
        if endpoint is not None:
            where = f"{NAMESPACE}:endpoints[{index}]."
            problems += [
                Problem(where + p.field, p.value, p.reason)
                for p in _endpoint(endpoint.args, environment)
            ]
    return problems


def _endpoint(args: ModelEndpointArgs, environment: str) -> list[Problem]:
    problems = []
    allowed = parameter(environment, SAFE_ROLLOUT, "allowedTrafficRouting")
    if allowed is not None and args.rollout.strategy not in allowed:
        problems.append(
            Problem(
                "rollout.strategy",
                args.rollout.strategy,
                f"{environment} shifts traffic gradually, watched by alarms: use "
                f"{' or '.join(allowed)}",
            )
        )
    if is_mandatory(environment, DATA_CAPTURE) and args.data_capture is None:
        problems.append(
            Problem(
                "dataCapture.enabled",
                False,
                f"the pack ({DATA_CAPTURE}) requires data capture in {environment}",
            )
        )
    if is_mandatory(environment, ISOLATION) and not args.network_isolation:
        problems.append(
            Problem(
                "networkIsolation",
                False,
                f"{environment} models make no network calls of their own",
            )
        )
    reason = (
        f"{environment} needs at least {{}} instances per production variant, so one instance "
        "failing or being replaced leaves the variant serving"
    )
    least = parameter(environment, MIN_INSTANCES, "minInstances")
    scaled = parameter(environment, MIN_CAPACITY, "minCapacity")
    for index, variant in enumerate(args.variants):
        if variant.shadow:
            continue
        if least is not None and variant.instance_count < least:
            field = f"variants[{index}].instanceCount"
            problems.append(Problem(field, variant.instance_count, reason.format(least)))
        scaling = variant.autoscaling
        if scaled is not None and scaling is not None and scaling.min_capacity < scaled:
            field = f"variants[{index}].autoscaling.minCapacity"
            problems.append(Problem(field, scaling.min_capacity, reason.format(scaled)))
    return problems


def _instance_types(built: Built, environment: str) -> list[Problem]:
    patterns: Sequence[str] | None = parameter(environment, INSTANCE_TYPES, "allowedInstanceTypes")
    if patterns is None:
        return []
    used: list[tuple[str, str]] = []
    if built.cluster is not None:
        groups = [("systemNodeGroup", built.cluster.system_node_group)]
        groups += [(f"gpuNodeGroups[{i}]", g) for i, g in enumerate(built.cluster.gpu_node_groups)]
        used += [
            (f"cluster.{where}.instanceTypes[{index}]", kind)
            for where, group in groups
            for index, kind in enumerate(group.instance_types)
        ]
    for number, endpoint in enumerate(built.endpoints):
        if endpoint is not None:
            used += [
                (f"endpoints[{number}].variants[{index}].instanceType", variant.instance_type)
                for index, variant in enumerate(endpoint.args.variants)
            ]
    return [
        Problem(
            f"{NAMESPACE}:{where}",
            kind,
            f"the pack ({INSTANCE_TYPES}) allows in {environment}: {', '.join(patterns)}",
        )
        for where, kind in used
        if not any(fnmatch.fnmatchcase(kind, pattern) for pattern in patterns)
    ]


def _gpu_capacity(built: Built, environment: str) -> list[Problem]:
    cap = parameter(environment, GPU_CAPACITY, "maxGpuNodes")
    if cap is None or built.cluster is None:
        return []
    total = sum(group.max_size for group in built.cluster.gpu_node_groups)
    if total <= cap:
        return []
    return [
        Problem(
            f"{NAMESPACE}:cluster.gpuNodeGroups",
            total,
            f"GPU node groups can grow to {total} nodes (maxSize added up); the pack "
            f"({GPU_CAPACITY}) caps {environment} at {cap}",
        )
    ]
