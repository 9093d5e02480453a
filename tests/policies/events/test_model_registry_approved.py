from __future__ import annotations

import json
from typing import Any

import pytest

from mlops_platform.components.delivery.pipeline_spec import approved_package_pattern
from mlops_platform.policies.events.model_registry_approved import EVENT_RULE, POLICY
from tests.policies.harness import check_resource

NOT_ONLY_APPROVED = (
    "the rule matches model package changes whose status is not only Approved "
    '(detail.ModelApprovalStatus = {shown}); filter on ["Approved"]'
)
ANY_GROUP = (
    "the rule matches packages of any model package group; list the exact "
    "detail.ModelPackageGroupName"
)


def rule(pattern: Any) -> dict[str, Any]:
    return {"eventPattern": json.dumps(pattern)}


def with_detail(**detail: Any) -> dict[str, Any]:
    pattern = approved_package_pattern("fraud-detector")
    return {**pattern, "detail": {**pattern["detail"], **detail}}


def test_the_pipelines_own_pattern_passes() -> None:
    assert check_resource(POLICY, EVENT_RULE, rule(approved_package_pattern("fraud"))) == []


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (["Approved", "Rejected"], "['Approved', 'Rejected']"),
        ([{"anything-but": "Rejected"}], "[{'anything-but': 'Rejected'}]"),
        ([{"prefix": "Appr"}], "[{'prefix': 'Appr'}]"),
    ],
)
def test_status_filters_wider_than_approved(status: list[Any], shown: str) -> None:
    assert check_resource(POLICY, EVENT_RULE, rule(with_detail(ModelApprovalStatus=status))) == [
        NOT_ONLY_APPROVED.format(shown=shown)
    ]


def test_no_status_filter_and_no_group() -> None:
    pattern = {"source": ["aws.sagemaker"], "detail-type": ["SageMaker Model Package State Change"]}
    assert check_resource(POLICY, EVENT_RULE, rule(pattern)) == [
        NOT_ONLY_APPROVED.format(shown="None"),
        ANY_GROUP,
    ]


def test_every_sagemaker_event_counts_as_a_registry_rule() -> None:
    assert check_resource(POLICY, EVENT_RULE, rule({"source": ["aws.sagemaker"]})) == [
        NOT_ONLY_APPROVED.format(shown="None"),
        ANY_GROUP,
    ]


def test_a_group_prefix_is_not_a_group() -> None:
    pattern = with_detail(ModelPackageGroupName=[{"prefix": "fraud"}])
    assert check_resource(POLICY, EVENT_RULE, rule(pattern)) == [ANY_GROUP]


def test_other_rules_are_left_alone() -> None:
    endpoint = {"source": ["aws.sagemaker"], "detail-type": ["SageMaker Endpoint State Change"]}
    schedule = {"scheduleExpression": "rate(5 minutes)"}
    assert check_resource(POLICY, EVENT_RULE, rule(endpoint)) == []
    assert check_resource(POLICY, EVENT_RULE, schedule) == []


def test_a_pattern_that_is_not_json() -> None:
    assert check_resource(POLICY, EVENT_RULE, {"eventPattern": "{"}) == [
        "the event pattern is not valid JSON"
    ]
