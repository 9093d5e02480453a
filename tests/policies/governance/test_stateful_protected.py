from __future__ import annotations

import pytest

from mlops_platform.policies.governance.stateful_protected import POLICY, STATEFUL
from tests.policies.harness import check_resource


@pytest.mark.parametrize("type_", STATEFUL)
def test_protected_stateful_resources_pass(type_: str) -> None:
    assert check_resource(POLICY, type_, {}, protect=True) == []


@pytest.mark.parametrize("type_", STATEFUL)
def test_unprotected_stateful_resources(type_: str) -> None:
    assert check_resource(POLICY, type_, {}) == [
        "holds data but is not protected; deploy it with protect=True"
    ]


def test_stateless_resources_are_left_alone() -> None:
    assert check_resource(POLICY, "aws:ec2/route:Route", {}) == []
