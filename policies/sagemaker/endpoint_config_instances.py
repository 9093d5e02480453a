"""Production variants run on enough instances to survive losing one."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import (
    Control,
    Report,
    ResourceRule,
    RuleInfo,
    Settings,
    integer,
)
from mlops_platform.policies.common.types import SAGEMAKER_ENDPOINT_CONFIG
from mlops_platform.policies.common.values import as_list, as_number, dig, display, is_set

INFO = RuleInfo(
    name="aws-sagemaker-endpoint-configuration-min-instances",
    description=(
        "SageMaker production variants start with at least the environment's instance count."
    ),
    resource_types=(SAGEMAKER_ENDPOINT_CONFIG,),
    severity=Severity.MEDIUM,
    controls=(Control.fsbp("SageMaker.4"),),
    remediation=(
        "Set initial_instance_count of every instance-backed variant to the minimum or more."
    ),
    params={"minInstances": integer("Fewest instances per production variant.", 2, 1)},
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    needed = settings["minInstances"]
    for index, variant in enumerate(as_list(dig(args.props, "productionVariants"))):
        if is_set(variant, "serverlessConfig"):
            continue
        name = dig(variant, "variantName") or f"#{index + 1}"
        count = as_number(dig(variant, "initialInstanceCount"))
        if count is None or count < needed:
            shown = "an unset number of" if count is None else display(count)
            report(
                f"production variant {name!r} starts {shown} instances; at least "
                f"{display(needed)} required"
            )


POLICY = ResourceRule(INFO, _check)
