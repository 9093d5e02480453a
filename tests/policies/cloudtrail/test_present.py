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


def test_a_project_another_projects_trail_covers_is_not_asked_for_one() -> None:
    covered = {"coveredProjects": ["mlops-serving"]}
    serving = Stack()
    serving.add("pulumi:pulumi:Stack", "mlops-serving-dev")
    serving.resources[
        0
    ].urn = "urn:pulumi:dev::mlops-serving::pulumi:pulumi:Stack::mlops-serving-dev"
    assert serving.check(POLICY, covered) == []
    platform = Stack()
    platform.add("pulumi:pulumi:Stack", "mlops-platform-dev")
    platform.resources[
        0
    ].urn = "urn:pulumi:dev::mlops-platform::pulumi:pulumi:Stack::mlops-platform-dev"
    assert platform.check(POLICY, covered) == [
        ("the stack has no CloudTrail trail; add a multi-region trail", None)
    ]
