"""Instances and launch templates require IMDSv2 and keep credentials off the pod network."""

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
from mlops_platform.policies.common.types import INSTANCE, LAUNCH_TEMPLATE
from mlops_platform.policies.common.values import as_number, dig, display

INFO = RuleInfo(
    name="aws-ec2-launch-template-imdsv2",
    description="Launch templates and instances require IMDSv2 session tokens.",
    resource_types=(LAUNCH_TEMPLATE, INSTANCE),
    severity=Severity.HIGH,
    controls=(Control.fsbp("EC2.8"),),
    remediation=(
        "Set metadata_options.http_tokens='required' and http_put_response_hop_limit to at most "
        "the allowed limit."
    ),
    params={
        "maxHopLimit": integer(
            "Largest metadata hop limit; 2 lets EKS system pods on the host network through.", 2, 1
        )
    },
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    options = dig(args.props, "metadataOptions")
    if dig(options, "httpEndpoint") == "disabled":
        return
    tokens = dig(options, "httpTokens")
    if tokens != "required":
        shown = "not set" if tokens is None else repr(tokens)
        report(f"instance metadata allows IMDSv1 (http_tokens {shown}); set it to 'required'")
    hops = as_number(dig(options, "httpPutResponseHopLimit"))
    if hops is not None and hops > settings["maxHopLimit"]:
        report(
            f"the metadata hop limit is {display(hops)}; at most "
            f"{display(settings['maxHopLimit'])} allowed"
        )


POLICY = ResourceRule(INFO, _check)
