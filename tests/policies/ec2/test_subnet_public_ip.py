from __future__ import annotations

from mlops_platform.policies.ec2.subnet_public_ip import POLICY
from tests.policies.harness import check_resource

SUBNET = "aws:ec2/subnet:Subnet"
PRIVATE = {"mapPublicIpOnLaunch": False, "tags": {"Tier": "private"}}


def test_a_private_subnet_without_public_ips_passes() -> None:
    assert check_resource(POLICY, SUBNET, PRIVATE) == []


def test_a_public_subnet_may_assign_public_ips() -> None:
    props = {"mapPublicIpOnLaunch": True, "tags": {"Tier": "public"}}
    assert check_resource(POLICY, SUBNET, props) == []


def test_a_private_subnet_assigning_public_ips() -> None:
    props = {**PRIVATE, "mapPublicIpOnLaunch": True}
    assert check_resource(POLICY, SUBNET, props) == [
        "the subnet assigns public IPs on launch but is not tagged Tier=public; set "
        "map_public_ip_on_launch=False"
    ]


def test_the_tier_tag_comes_from_config() -> None:
    props = {"mapPublicIpOnLaunch": True, "tags": {"Zone": "dmz"}}
    config = {"tierTagKey": "Zone", "publicTier": "dmz"}
    assert check_resource(POLICY, SUBNET, props, config=config) == []
