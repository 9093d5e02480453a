"""Every VPC records its traffic in flow logs."""

from __future__ import annotations

from pulumi_policy import Severity, StackValidationArgs

from mlops_platform.policies.common.rule import (
    Control,
    RuleInfo,
    Settings,
    StackReport,
    StackRule,
    string_list,
)
from mlops_platform.policies.common.stack import describe, linked, of_type
from mlops_platform.policies.common.types import FLOW_LOG, VPC
from mlops_platform.policies.common.values import dig

INFO = RuleInfo(
    name="aws-ec2-vpc-flow-logs",
    description="Every VPC has a flow log capturing all traffic.",
    resource_types=(VPC, FLOW_LOG),
    severity=Severity.MEDIUM,
    controls=(Control.cis("3.9"), Control.fsbp("EC2.6")),
    remediation="Add an aws.ec2.FlowLog for the VPC with traffic_type 'ALL'.",
    params={"allowedTrafficTypes": string_list("Traffic types a flow log may capture.", ["ALL"])},
)


def _check(args: StackValidationArgs, settings: Settings, report: StackReport) -> None:
    allowed = list(settings["allowedTrafficTypes"])
    logs = of_type(args.resources, FLOW_LOG)
    vpcs = of_type(args.resources, VPC)
    logged = {vpc.urn for log in logs for vpc in linked(log, "vpcId", vpcs)}
    for vpc in vpcs:
        if vpc.urn not in logged:
            report(
                f"{describe(vpc)} has no flow log; add an aws.ec2.FlowLog with traffic_type "
                f"{allowed[0]!r}",
                vpc.urn,
            )
    for log in logs:
        traffic = dig(log.props, "trafficType")
        if traffic not in allowed:
            report(
                f"{describe(log)} captures {traffic!r} traffic; allowed: {', '.join(allowed)}",
                log.urn,
            )


POLICY = StackRule(INFO, _check)
