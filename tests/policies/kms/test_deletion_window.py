from __future__ import annotations

from mlops_platform.policies.kms.deletion_window import POLICY
from tests.policies.harness import check_resource

KEY = "aws:kms/key:Key"


def test_the_longest_window_passes() -> None:
    assert check_resource(POLICY, KEY, {"deletionWindowInDays": 30}) == []


def test_an_unset_window_is_aws_default_of_30_days() -> None:
    assert check_resource(POLICY, KEY, {}) == []


def test_a_short_window_is_a_violation() -> None:
    assert check_resource(POLICY, KEY, {"deletionWindowInDays": 7}) == [
        "the deletion window is 7 days; at least 30 required"
    ]


def test_the_minimum_comes_from_config() -> None:
    assert check_resource(POLICY, KEY, {"deletionWindowInDays": 7}, config={"minimumDays": 7}) == []
