"""Every Task catches its errors: the real definitions pass, a change per case fails."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pulumi_policy.proxy import UnknownValueError

from mlops_platform.components.workflows.definitions import (
    PromotionFunctions,
    TrainingFunctions,
    promotion_definition,
    training_definition,
)
from mlops_platform.policies.sfn.task_catch import POLICY, STATE_MACHINE
from tests.policies.harness import UNKNOWN, check_resource

ARN = "arn:aws:lambda:us-east-1:123456789012:function:f"
TOPIC = "arn:aws:sns:us-east-1:123456789012:t"
TASK = {"Type": "Task", "Resource": ARN, "End": True}
CAUGHT = {**TASK, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]}


def machine(states: dict[str, Any]) -> dict[str, Any]:
    definition = {"StartAt": next(iter(states)), "States": {**states, "Failed": {"Type": "Fail"}}}
    return {"definition": json.dumps(definition)}


@pytest.mark.parametrize(
    "definition",
    [
        promotion_definition(PromotionFunctions(*[ARN] * 8), TOPIC),
        training_definition(TrainingFunctions(*[ARN] * 5), TOPIC),
    ],
    ids=["promotion", "training"],
)
def test_the_workflows_definitions_pass(definition: dict[str, Any]) -> None:
    assert check_resource(POLICY, STATE_MACHINE, {"definition": json.dumps(definition)}) == []


@pytest.mark.parametrize(
    ("states", "config", "expected"),
    [
        ({"Work": CAUGHT}, None, []),
        ({"Work": TASK}, None, ["Task 'Work' has no Catch"]),
        ({"Work": {**TASK, "Catch": []}}, None, ["Task 'Work' has no Catch"]),
        (
            {"Work": {**TASK, "Catch": [{"ErrorEquals": ["Lambda.Unknown"], "Next": "Failed"}]}},
            None,
            ["Task 'Work' catches only named errors, not States.ALL"],
        ),
        (
            {"Work": {**TASK, "Catch": [{"ErrorEquals": ["Lambda.Unknown"], "Next": "Failed"}]}},
            {"requireCatchAll": False},
            [],
        ),
        (
            {"Fan": {"Type": "Parallel", "End": True, "Catch": CAUGHT["Catch"],
                     "Branches": [{"StartAt": "A", "States": {"A": CAUGHT}},
                                  {"StartAt": "B", "States": {"B": TASK}}]}},
            None,
            ["Task 'Fan/branch 2/B' has no Catch"],
        ),
        (
            {"Each": {"Type": "Map", "End": True,
                      "ItemProcessor": {"StartAt": "C", "States": {"C": TASK}}}},
            None,
            ["Task 'Each/C' has no Catch"],
        ),
        ({"Wait": {"Type": "Wait", "Seconds": 1, "End": True}}, None, []),
    ],
    ids=["caught", "no catch", "empty catch", "named only", "named allowed", "parallel", "map",
         "not a task"],
)  # fmt: skip
def test_tasks_without_a_catch_all(
    states: dict[str, Any], config: dict[str, Any] | None, expected: list[str]
) -> None:
    suffix = "; catch States.ALL into a path that cleans up and reports the failure"
    found = check_resource(POLICY, STATE_MACHINE, machine(states), config=config)
    assert found == [message + suffix for message in expected]


def test_a_definition_that_is_not_json() -> None:
    assert check_resource(POLICY, STATE_MACHINE, {"definition": "{not json"}) == [
        "the definition is not a JSON object; cannot check its Task states"
    ]


def test_an_unknown_definition_cannot_be_checked_during_preview() -> None:
    with pytest.raises(UnknownValueError):
        check_resource(POLICY, STATE_MACHINE, {"definition": UNKNOWN})
