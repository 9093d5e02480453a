from __future__ import annotations

from mlops_platform.policies.cloudtrail.present import POLICY
from tests.policies.cloudtrail._fixtures import COMPLIANT, TRAIL
from tests.policies.harness import Stack


def test_a_stack_with_a_trail_passes() -> None:
    s = Stack()
    s.add(TRAIL, "audit", COMPLIANT)
    assert s.check(POLICY) == []


def test_a_stack_without_a_trail() -> None:
    s = Stack()
    s.add("aws:ec2/vpc:Vpc", "vpc")
    assert s.check(POLICY) == [
        ("the stack has no CloudTrail trail; add a multi-region trail", None)
    ]


def test_a_trail_that_is_not_logging_does_not_count() -> None:
    s = Stack()
    s.add(TRAIL, "audit", {**COMPLIANT, "enableLogging": False})
    assert s.check(POLICY) == [
        ("the stack has no trail that is logging; add a multi-region trail", None)
    ]
