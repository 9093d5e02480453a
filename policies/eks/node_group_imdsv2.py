"""Node groups launch from a template that requires IMDSv2."""

from __future__ import annotations

from pulumi_policy import Severity, StackValidationArgs

from mlops_platform.policies.common.rule import Control, RuleInfo, Settings, StackReport, StackRule
from mlops_platform.policies.common.stack import describe, of_type
from mlops_platform.policies.common.types import EKS_NODE_GROUP, LAUNCH_TEMPLATE
from mlops_platform.policies.common.values import dig
from mlops_platform.policies.eks._nodes import launch_template_of, uses_launch_template

INFO = RuleInfo(
    name="aws-eks-node-group-imdsv2",
    description="EKS node groups use a launch template of the stack that requires IMDSv2.",
    resource_types=(EKS_NODE_GROUP, LAUNCH_TEMPLATE),
    severity=Severity.HIGH,
    controls=(Control.fsbp("EC2.8"),),
    remediation=(
        "Give the node group an aws.ec2.LaunchTemplate of this stack with "
        "metadata_options.http_tokens='required' and http_put_response_hop_limit=2."
    ),
)


def _check(args: StackValidationArgs, _settings: Settings, report: StackReport) -> None:
    templates = of_type(args.resources, LAUNCH_TEMPLATE)
    for group in of_type(args.resources, EKS_NODE_GROUP):
        if not uses_launch_template(group):
            report(
                f"{describe(group)} uses EKS's default launch template, which allows IMDSv1; "
                "give it a launch template with http_tokens 'required'",
                group.urn,
            )
            continue
        template = launch_template_of(group, templates)
        if template is None:
            report(
                f"{describe(group)} uses a launch template outside this stack, so IMDSv2 "
                "cannot be checked; define the template in the stack",
                group.urn,
            )
        elif dig(template.props, "metadataOptions", "httpTokens") != "required":
            report(
                f"{describe(group)} launches from {describe(template)}, which allows IMDSv1; "
                "set metadata_options.http_tokens='required'",
                group.urn,
            )


POLICY = StackRule(INFO, _check)
