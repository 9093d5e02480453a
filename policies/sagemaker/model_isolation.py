"""Model containers run without network access of their own."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import SAGEMAKER_MODEL
from mlops_platform.policies.common.values import dig, is_true

INFO = RuleInfo(
    name="aws-sagemaker-model-network-isolation",
    description="SageMaker models enable network isolation.",
    resource_types=(SAGEMAKER_MODEL,),
    severity=Severity.HIGH,
    controls=(Control.fsbp("SageMaker.5"),),
    remediation="Set enable_network_isolation=True; the container then makes no outbound calls.",
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    if not is_true(dig(args.props, "enableNetworkIsolation")):
        report("network isolation is off; set enable_network_isolation=True")


POLICY = ResourceRule(INFO, _check)
