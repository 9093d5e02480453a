"""Autoscaling never shrinks a model variant below the environment's instance count."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings, integer
from mlops_platform.policies.common.values import as_number, dig, display

TARGET = "aws:appautoscaling/target:Target"

INFO = RuleInfo(
    name="aws-appautoscaling-target-min-capacity",
    description=(
        "Autoscaling targets of SageMaker variants keep at least the environment's instance count."
    ),
    resource_types=(TARGET,),
    severity=Severity.MEDIUM,
    remediation="Raise min_capacity to the environment's minimum instance count.",
    params={"minCapacity": integer("Fewest instances autoscaling may leave a variant.", 2, 1)},
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    if dig(args.props, "serviceNamespace") != "sagemaker":
        return
    floor = as_number(dig(args.props, "minCapacity"))
    needed = settings["minCapacity"]
    if floor is None or floor < needed:
        shown = "an unset minimum" if floor is None else display(floor)
        report(
            f"autoscaling can shrink the variant to {shown}; min_capacity must be at least "
            f"{display(needed)}"
        )


POLICY = ResourceRule(INFO, _check)
