from __future__ import annotations

from mlops_platform.policies.common.types import EKS_CLUSTER, INGRESS_RULE, SECURITY_GROUP
from mlops_platform.policies.eks.cluster_private_cidrs import POLICY
from tests.policies.harness import Stack, urn_of


def stack(*cidrs: str, port: int = 443) -> Stack:
    s = Stack()
    s.add(SECURITY_GROUP, "api-sg", {})
    s.add(EKS_CLUSTER, "cluster", {"vpcConfig": {}}, deps={"vpcConfig": "api-sg"})
    for index, cidr in enumerate(cidrs):
        rule = {"ipProtocol": "tcp", "fromPort": port, "toPort": port, "cidrIpv4": cidr}
        s.add(INGRESS_RULE, f"https-{index}", rule, deps={"securityGroupId": "api-sg"})
    return s


def test_listed_networks_pass() -> None:
    assert stack("10.30.0.0/16", "10.10.0.0/16").check(POLICY) == []


def test_another_port_is_not_the_api() -> None:
    assert stack("0.0.0.0/0", port=8443).check(POLICY) == []


def test_the_whole_internet_is_refused() -> None:
    assert stack("10.30.0.0/16", "0.0.0.0/0").check(POLICY) == [
        (
            "SecurityGroup 'api-sg' admits HTTPS to the API of Cluster 'cluster' from the whole "
            "internet (10.30.0.0/16, 0.0.0.0/0); list only the networks that reach the API",
            urn_of(SECURITY_GROUP, "api-sg"),
        )
    ]


def test_networks_that_together_are_the_internet_are_refused() -> None:
    found = stack("0.0.0.0/1", "128.0.0.0/1").check(POLICY)
    assert [urn for _, urn in found] == [urn_of(SECURITY_GROUP, "api-sg")]
