from __future__ import annotations

import pytest

from mlops_platform.policies.ec2.imdsv2 import POLICY
from tests.policies.harness import Mutation, changed, check_resource, drop_at, set_at

LT = "aws:ec2/launchTemplate:LaunchTemplate"
BASE = {"metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 2}}


def test_imdsv2_required_passes() -> None:
    assert check_resource(POLICY, LT, BASE) == []


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            set_at("metadataOptions.httpTokens", "optional"),
            "instance metadata allows IMDSv1 (http_tokens 'optional'); set it to 'required'",
        ),
        (
            drop_at("metadataOptions"),
            "instance metadata allows IMDSv1 (http_tokens not set); set it to 'required'",
        ),
        (
            set_at("metadataOptions.httpPutResponseHopLimit", 3),
            "the metadata hop limit is 3; at most 2 allowed",
        ),
    ],
    ids=["optional", "unset", "hop-limit"],
)
def test_violations(mutate: Mutation, message: str) -> None:
    assert check_resource(POLICY, LT, changed(BASE, mutate)) == [message]


def test_instances_are_checked_too() -> None:
    assert check_resource(POLICY, "aws:ec2/instance:Instance", {}) == [
        "instance metadata allows IMDSv1 (http_tokens not set); set it to 'required'"
    ]


def test_a_disabled_metadata_endpoint_passes() -> None:
    assert check_resource(POLICY, LT, {"metadataOptions": {"httpEndpoint": "disabled"}}) == []


def test_the_hop_limit_comes_from_config() -> None:
    props = changed(BASE, set_at("metadataOptions.httpPutResponseHopLimit", 3))
    assert check_resource(POLICY, LT, props, config={"maxHopLimit": 3}) == []
