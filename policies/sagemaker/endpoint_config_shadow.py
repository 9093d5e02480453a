"""A shadow variant runs beside exactly one production variant, as SageMaker requires."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import SAGEMAKER_ENDPOINT_CONFIG
from mlops_platform.policies.common.values import as_list, dig

INFO = RuleInfo(
    name="aws-sagemaker-endpoint-configuration-shadow-single-production",
    description=(
        "An endpoint configuration with a shadow variant has exactly one production variant "
        "(CreateEndpointConfig rejects any other mix)."
    ),
    resource_types=(SAGEMAKER_ENDPOINT_CONFIG,),
    severity=Severity.HIGH,
    remediation=(
        "Run the A/B test and the shadow test on two endpoints: several production variants on "
        "one, a single production variant and the shadow on the other."
    ),
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    shadows = as_list(dig(args.props, "shadowProductionVariants"))
    if not shadows:
        return
    production = as_list(dig(args.props, "productionVariants"))
    if len(production) != 1:
        names = [dig(v, "variantName") or f"#{i + 1}" for i, v in enumerate(shadows)]
        report(
            f"shadow variant {names[0]!r} beside {len(production)} production variants; AWS "
            "accepts a shadow variant only beside exactly one production variant"
        )


POLICY = ResourceRule(INFO, _check)
