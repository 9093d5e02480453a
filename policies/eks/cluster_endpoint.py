"""The cluster's API endpoint is private in prod and reachable privately everywhere."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import (
    Control,
    Report,
    ResourceRule,
    RuleInfo,
    Settings,
    boolean,
)
from mlops_platform.policies.common.types import EKS_CLUSTER
from mlops_platform.policies.common.values import dig, is_false, is_true

INFO = RuleInfo(
    name="aws-eks-cluster-private-endpoint",
    description=(
        "EKS API endpoints are reachable from the VPC, and from the internet only where allowed."
    ),
    resource_types=(EKS_CLUSTER,),
    severity=Severity.HIGH,
    controls=(Control.fsbp("EKS.1"),),
    remediation=(
        "Set vpc_config.endpoint_private_access=True and, where the environment forbids a "
        "public endpoint, endpoint_public_access=False."
    ),
    params={
        "allowPublicEndpoint": boolean(
            "Whether the API endpoint may also be public (never to 0.0.0.0/0).", False
        )
    },
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    config = dig(args.props, "vpcConfig")
    public = dig(config, "endpointPublicAccess")
    if not settings["allowPublicEndpoint"] and not is_false(public):
        default = " (the default)" if public is None else ""
        report(f"the API endpoint is public{default}; set endpoint_public_access=False")
    if not is_true(dig(config, "endpointPrivateAccess")):
        report("the API endpoint has no private access; set endpoint_private_access=True")


POLICY = ResourceRule(INFO, _check)
