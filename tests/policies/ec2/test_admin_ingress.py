from __future__ import annotations

from typing import Any

import pytest

from mlops_platform.policies.ec2.admin_ingress import POLICY
from tests.policies.harness import check_resource

SG = "aws:ec2/securityGroup:SecurityGroup"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
HTTPS_FROM_VPC = {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "10.30.0.0/16"}


def test_https_from_the_vpc_passes() -> None:
    assert check_resource(POLICY, INGRESS, HTTPS_FROM_VPC) == []


@pytest.mark.parametrize(
    ("props", "found"),
    [
        (
            {**HTTPS_FROM_VPC, "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0"},
            "port 22 open to 0.0.0.0/0",
        ),
        (
            {"ipProtocol": "tcp", "fromPort": 3389, "toPort": 3389, "cidrIpv6": "::/0"},
            "port 3389 open to ::/0",
        ),
        ({"ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0"}, "ports 22, 3389 open to 0.0.0.0/0"),
        (
            {"ipProtocol": "tcp", "fromPort": 0, "toPort": 65535, "cidrIpv4": "0.0.0.0/0"},
            "ports 22, 3389 open to 0.0.0.0/0",
        ),
    ],
    ids=["ssh", "rdp-v6", "all-protocols", "all-ports"],
)
def test_standalone_ingress_rules(props: dict[str, Any], found: str) -> None:
    assert check_resource(POLICY, INGRESS, props) == [
        f"the rule has {found}; restrict it to known networks"
    ]


def test_https_from_anywhere_is_not_an_admin_port() -> None:
    props = {**HTTPS_FROM_VPC, "cidrIpv4": "0.0.0.0/0"}
    assert check_resource(POLICY, INGRESS, props) == []


def test_inline_security_group_rules_are_numbered() -> None:
    ssh = {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]}
    https = {"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["10.0.0.0/8"]}
    assert check_resource(POLICY, SG, {"ingress": [https, ssh]}) == [
        "ingress rule 2 has port 22 open to 0.0.0.0/0; restrict it to known networks"
    ]


def test_security_group_rule_resources_of_type_ingress() -> None:
    props = {
        "type": "ingress",
        "protocol": "tcp",
        "fromPort": 22,
        "toPort": 22,
        "cidrBlocks": ["0.0.0.0/0"],
    }
    assert check_resource(POLICY, SG_RULE, props) == [
        "the rule has port 22 open to 0.0.0.0/0; restrict it to known networks"
    ]
    assert check_resource(POLICY, SG_RULE, {**props, "type": "egress"}) == []


def test_admin_ports_come_from_config() -> None:
    props = {"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrIpv4": "0.0.0.0/0"}
    assert check_resource(POLICY, INGRESS, props, config={"adminPorts": [5432]}) == [
        "the rule has port 5432 open to 0.0.0.0/0; restrict it to known networks"
    ]
