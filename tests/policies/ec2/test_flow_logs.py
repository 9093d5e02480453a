from __future__ import annotations

from mlops_platform.policies.ec2.flow_logs import POLICY
from tests.policies.harness import Stack

VPC = "aws:ec2/vpc:Vpc"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"


def stack(traffic: str = "ALL") -> Stack:
    s = Stack()
    s.add(VPC, "vpc")
    s.add(FLOW_LOG, "flow-log", {"vpcId": "vpc-1", "trafficType": traffic}, deps={"vpcId": "vpc"})
    return s


def test_a_vpc_logging_all_traffic_passes() -> None:
    assert stack().check(POLICY) == []


def test_a_vpc_without_flow_logs() -> None:
    s = Stack()
    vpc = s.add(VPC, "vpc")
    assert s.check(POLICY) == [
        ("Vpc 'vpc' has no flow log; add an aws.ec2.FlowLog with traffic_type 'ALL'", vpc.urn)
    ]


def test_a_flow_log_of_rejected_traffic_only() -> None:
    s = stack("REJECT")
    assert s.check(POLICY) == [
        ("FlowLog 'flow-log' captures 'REJECT' traffic; allowed: ALL", s.resources[1].urn)
    ]


def test_allowed_traffic_types_come_from_config() -> None:
    assert stack("REJECT").check(POLICY, {"allowedTrafficTypes": ["ALL", "REJECT"]}) == []
