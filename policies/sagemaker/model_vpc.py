"""Model containers run inside the platform's VPC."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import SAGEMAKER_MODEL
from mlops_platform.policies.common.values import dig, is_set

INFO = RuleInfo(
    name="aws-sagemaker-model-vpc",
    description="SageMaker models run in the VPC's private subnets with security groups.",
    resource_types=(SAGEMAKER_MODEL,),
    severity=Severity.MEDIUM,
    remediation="Set vpc_config with the network's private subnets and a security group.",
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    config = dig(args.props, "vpcConfig")
    if config is None:
        report("the model runs outside the VPC; set vpc_config with private subnets")
        return
    if not is_set(config, "subnets"):
        report("vpc_config names no subnets; list the network's private subnets")
    if not is_set(config, "securityGroupIds"):
        report("vpc_config names no security groups; add one")


POLICY = ResourceRule(INFO, _check)
