"""The subnet layout, as a pure function: properties over many VPCs, and its error messages."""

from __future__ import annotations

import ipaddress
import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mlops_platform.components.core import Problem
from mlops_platform.components.core.cidr import (
    check_layout,
    check_no_overlap,
    check_vpc_cidr,
    layout_subnets,
    parse_network,
)


@st.composite
def fitting_layouts(draw: st.DrawFn) -> tuple[ipaddress.IPv4Network, int, int, int]:
    """A private VPC and subnet sizes whose subnets fit in it."""
    vpc_prefix = draw(st.integers(min_value=16, max_value=26))
    base = draw(st.sampled_from(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]))
    parent = ipaddress.IPv4Network(base)
    vpc_prefix = max(vpc_prefix, parent.prefixlen)
    choices = 2 ** (vpc_prefix - parent.prefixlen)
    index = draw(st.integers(min_value=0, max_value=choices - 1))
    # The index-th block of that size, by arithmetic: walking up to 2^18 blocks was slow enough
    # under parallel load to fail Hypothesis's health check.
    size = 2 ** (32 - vpc_prefix)
    vpc = ipaddress.IPv4Network((int(parent.network_address) + index * size, vpc_prefix))
    public = draw(st.integers(min_value=vpc_prefix + 1, max_value=28))
    private = draw(st.integers(min_value=vpc_prefix + 1, max_value=28))
    per_zone = 2 ** (32 - public) + 2 ** (32 - private)
    most_zones = min(6, vpc.num_addresses // per_zone)
    assume(most_zones >= 1)
    zones = draw(st.integers(min_value=1, max_value=most_zones))
    return vpc, zones, public, private


@given(fitting_layouts())
def test_subnets_sit_inside_the_vpc_without_overlap_at_the_sizes_asked(layout) -> None:
    vpc, zones, public, private = layout
    slots = layout_subnets(vpc, zones, public, private)
    assert len(slots) == 2 * zones
    for slot in slots:
        assert slot.cidr.subnet_of(vpc)
        assert slot.cidr.prefixlen == (public if slot.tier == "public" else private)
    for first, second in itertools.combinations(slots, 2):
        assert not first.cidr.overlaps(second.cidr), (first, second)
    assert sorted((s.tier, s.zone_index) for s in slots) == sorted(
        (tier, zone) for tier in ("public", "private") for zone in range(zones)
    )


@given(fitting_layouts())
def test_adding_a_zone_never_moves_the_existing_subnets(layout) -> None:
    vpc, zones, public, private = layout
    assume(zones >= 2)
    fewer = {
        (s.tier, s.zone_index): s.cidr for s in layout_subnets(vpc, zones - 1, public, private)
    }
    more = {(s.tier, s.zone_index): s.cidr for s in layout_subnets(vpc, zones, public, private)}
    assert all(more[key] == cidr for key, cidr in fewer.items())


def test_layout_of_a_slash_16_over_three_zones() -> None:
    slots = layout_subnets(ipaddress.IPv4Network("10.30.0.0/16"), 3, 24, 19)
    by_slot = {(s.tier, s.zone_index): str(s.cidr) for s in slots}
    assert by_slot == {
        ("private", 0): "10.30.0.0/19",
        ("private", 1): "10.30.32.0/19",
        ("private", 2): "10.30.64.0/19",
        ("public", 0): "10.30.255.0/24",
        ("public", 1): "10.30.254.0/24",
        ("public", 2): "10.30.253.0/24",
    }


def test_a_vpc_too_small_for_its_subnets_is_rejected_with_the_numbers() -> None:
    problems = check_layout(ipaddress.IPv4Network("10.0.0.0/24"), 3, 26, 26)
    assert [str(p) for p in problems] == [
        "vpc_cidr = '10.0.0.0/24': too small for 3 public /26 and 3 private /26 subnets "
        "(384 addresses needed, 256 available); use a larger VPC or longer subnet prefixes"
    ]
    with pytest.raises(ValueError, match="too small"):
        layout_subnets(ipaddress.IPv4Network("10.0.0.0/24"), 3, 26, 26)


@pytest.mark.parametrize(
    ("public", "private", "message"),
    [
        (16, 20, "public_subnet_prefix = 16: must be longer than the VPC's /16 and at most /28"),
        (24, 29, "private_subnet_prefix = 29: must be longer than the VPC's /16 and at most /28"),
    ],
)
def test_subnet_prefixes_must_fit_between_the_vpc_and_slash_28(public, private, message) -> None:
    problems = check_layout(ipaddress.IPv4Network("10.0.0.0/16"), 2, public, private)
    assert [str(p) for p in problems] == [message]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10.0.0.1/16", "vpc_cidr = '10.0.0.1/16': has host bits set; did you mean 10.0.0.0/16?"),
        (
            "10.0.0.0/33",
            "vpc_cidr = '10.0.0.0/33': has an invalid prefix length; allowed /0 to /32",
        ),
        ("ten/16", "vpc_cidr = 'ten/16': is not an IPv4 CIDR block such as 10.20.0.0/16"),
        (1016, "vpc_cidr = 1016: must be a CIDR string such as 10.20.0.0/16"),
    ],
)
def test_malformed_cidrs_say_what_is_wrong(text, message) -> None:
    network, problems = parse_network("vpc_cidr", text)
    assert network is None
    assert [str(p) for p in problems] == [message]


@pytest.mark.parametrize(
    ("cidr", "messages"),
    [
        ("10.0.0.0/16", []),
        ("10.0.0.0/15", ["vpc_cidr = '10.0.0.0/15': AWS allows VPC prefixes from /16 to /28"]),
        (
            "8.8.0.0/16",
            [
                "vpc_cidr = '8.8.0.0/16': must lie inside a private range "
                "(10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)"
            ],
        ),
    ],
)
def test_vpc_cidrs_are_private_and_within_aws_sizes(cidr, messages) -> None:
    assert [str(p) for p in check_vpc_cidr("vpc_cidr", ipaddress.IPv4Network(cidr))] == messages


def test_peers_may_overlap_neither_the_vpc_nor_each_other() -> None:
    vpc = ipaddress.IPv4Network("10.30.0.0/16")
    peers = [
        (0, ipaddress.IPv4Network("10.10.0.0/16")),
        (1, ipaddress.IPv4Network("10.30.128.0/17")),
        (2, ipaddress.IPv4Network("10.10.5.0/24")),
    ]
    assert check_no_overlap(vpc, "peer_cidrs", peers) == [
        Problem(
            "peer_cidrs[1]",
            "10.30.128.0/17",
            "overlaps the VPC's 10.30.0.0/16; routed networks need distinct ranges",
        ),
        Problem("peer_cidrs[2]", "10.10.5.0/24", "overlaps 10.10.0.0/16, listed before it"),
    ]
