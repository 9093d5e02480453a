"""Every VPC's default security group is managed and has no rules."""

from __future__ import annotations

from pulumi_policy import Severity, StackValidationArgs

from mlops_platform.policies.common.rule import Control, RuleInfo, Settings, StackReport, StackRule
from mlops_platform.policies.common.stack import describe, linked, of_type
from mlops_platform.policies.common.types import DEFAULT_SECURITY_GROUP, VPC
from mlops_platform.policies.common.values import as_list, dig

INFO = RuleInfo(
    name="aws-ec2-default-security-group-no-rules",
    description="Every VPC's default security group is taken over and stripped of all rules.",
    resource_types=(VPC, DEFAULT_SECURITY_GROUP),
    severity=Severity.HIGH,
    controls=(Control.cis("5.3"), Control.fsbp("EC2.2")),
    remediation=(
        "Add an aws.ec2.DefaultSecurityGroup for the VPC with ingress=[] and egress=[]; give "
        "workloads their own security groups."
    ),
)


def _check(args: StackValidationArgs, _settings: Settings, report: StackReport) -> None:
    groups = of_type(args.resources, DEFAULT_SECURITY_GROUP)
    vpcs = of_type(args.resources, VPC)
    managed = {vpc.urn for group in groups for vpc in linked(group, "vpcId", vpcs)}
    for vpc in vpcs:
        if vpc.urn not in managed:
            report(
                f"{describe(vpc)} leaves its default security group with AWS's allow-all "
                "rules; add an aws.ec2.DefaultSecurityGroup with no ingress or egress",
                vpc.urn,
            )
    for group in groups:
        ingress = len(as_list(dig(group.props, "ingress")))
        egress = len(as_list(dig(group.props, "egress")))
        if ingress or egress:
            report(
                f"{describe(group)} has {ingress} ingress and {egress} egress rules; the "
                "default security group must have none",
                group.urn,
            )


POLICY = StackRule(INFO, _check)
