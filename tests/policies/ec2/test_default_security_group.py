from __future__ import annotations

from mlops_platform.policies.ec2.default_security_group import POLICY
from tests.policies.harness import Stack

VPC = "aws:ec2/vpc:Vpc"
DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"


def test_a_managed_empty_default_group_passes() -> None:
    s = Stack()
    s.add(VPC, "vpc")
    s.add(
        DEFAULT_SG,
        "default-sg",
        {"vpcId": "vpc-1", "ingress": [], "egress": []},
        deps={"vpcId": "vpc"},
    )
    assert s.check(POLICY) == []


def test_a_vpc_whose_default_group_is_unmanaged() -> None:
    s = Stack()
    vpc = s.add(VPC, "vpc")
    assert s.check(POLICY) == [
        (
            "Vpc 'vpc' leaves its default security group with AWS's allow-all rules; add an "
            "aws.ec2.DefaultSecurityGroup with no ingress or egress",
            vpc.urn,
        )
    ]


def test_a_default_group_with_rules() -> None:
    s = Stack()
    s.add(VPC, "vpc")
    rule = {"protocol": "-1", "fromPort": 0, "toPort": 0, "self": True}
    group = s.add(
        DEFAULT_SG, "default-sg", {"ingress": [rule], "egress": []}, deps={"vpcId": "vpc"}
    )
    assert s.check(POLICY) == [
        (
            "DefaultSecurityGroup 'default-sg' has 1 ingress and 0 egress rules; the default "
            "security group must have none",
            group.urn,
        )
    ]
