from __future__ import annotations

import pytest

from mlops_platform.policies.kms.rotation import POLICY
from tests.policies.harness import Mutation, changed, check_resource, drop_at, set_at

KEY = "aws:kms/key:Key"
BASE = {"enableKeyRotation": True, "rotationPeriodInDays": 365, "deletionWindowInDays": 30}


def test_a_rotating_key_passes() -> None:
    assert check_resource(POLICY, KEY, BASE) == []


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            set_at("enableKeyRotation", False),
            "automatic key rotation is off; set enable_key_rotation=True",
        ),
        (
            drop_at("enableKeyRotation"),
            "automatic key rotation is off; set enable_key_rotation=True",
        ),
        (
            set_at("rotationPeriodInDays", 730),
            "the key rotates every 730 days; at most 365 allowed",
        ),
    ],
    ids=["off", "unset", "too-slow"],
)
def test_violations(mutate: Mutation, message: str) -> None:
    assert check_resource(POLICY, KEY, changed(BASE, mutate)) == [message]


def test_asymmetric_keys_cannot_rotate_and_are_left_alone() -> None:
    props = {"customerMasterKeySpec": "RSA_2048", "keyUsage": "SIGN_VERIFY"}
    assert check_resource(POLICY, KEY, props) == []


def test_the_longest_period_comes_from_config() -> None:
    props = changed(BASE, set_at("rotationPeriodInDays", 730))
    assert check_resource(POLICY, KEY, props, config={"maxRotationPeriodDays": 730}) == []
