"""Compute runs only on the instance types an environment allows."""

from __future__ import annotations

import fnmatch
from typing import Any

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import (
    Report,
    ResourceRule,
    RuleInfo,
    Settings,
    string_list,
)
from mlops_platform.policies.common.types import (
    EKS_NODE_GROUP,
    INSTANCE,
    LAUNCH_TEMPLATE,
    SAGEMAKER_ENDPOINT_CONFIG,
)
from mlops_platform.policies.common.values import as_list, dig, text_list

INFO = RuleInfo(
    name="aws-governance-instance-type-allowed",
    description="Endpoints, node groups and instances use instance types the environment allows.",
    resource_types=(SAGEMAKER_ENDPOINT_CONFIG, EKS_NODE_GROUP, LAUNCH_TEMPLATE, INSTANCE),
    severity=Severity.MEDIUM,
    remediation=(
        "Pick an allowed type, or add the type to allowedInstanceTypes in the environment's "
        "policy config after the budget owner agrees."
    ),
    params={
        "allowedInstanceTypes": string_list(
            "Instance type patterns allowed (ml.* for SageMaker), e.g. 'ml.m5.*'.",
            ["ml.t3.*", "ml.m5.*", "ml.c5.*", "t3.*", "m5.*", "c5.*"],
        )
    },
)


def _requested(args: ResourceValidationArgs) -> list[str]:
    props: Any = args.props
    if args.resource_type == SAGEMAKER_ENDPOINT_CONFIG:
        variants = [
            *as_list(dig(props, "productionVariants")),
            *as_list(dig(props, "shadowProductionVariants")),
        ]
        return [kind for variant in variants for kind in text_list(dig(variant, "instanceType"))]
    if args.resource_type == EKS_NODE_GROUP:
        return text_list(dig(props, "instanceTypes"))
    return text_list(dig(props, "instanceType"))


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    allowed = list(settings["allowedInstanceTypes"])
    for kind in _requested(args):
        if not any(fnmatch.fnmatchcase(kind, pattern) for pattern in allowed):
            report(f"instance type {kind!r} is not allowed here; allowed: {', '.join(allowed)}")


POLICY = ResourceRule(INFO, _check)
