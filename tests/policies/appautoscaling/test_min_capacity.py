from __future__ import annotations

from mlops_platform.policies.appautoscaling.min_capacity import POLICY, TARGET
from tests.policies.harness import check_resource

VARIANT = {
    "serviceNamespace": "sagemaker",
    "resourceId": "endpoint/serve/variant/primary",
    "scalableDimension": "sagemaker:variant:DesiredInstanceCount",
    "minCapacity": 2,
    "maxCapacity": 8,
}


def test_a_floor_of_two_passes() -> None:
    assert check_resource(POLICY, TARGET, VARIANT) == []


def test_a_floor_of_one() -> None:
    assert check_resource(POLICY, TARGET, {**VARIANT, "minCapacity": 1}) == [
        "autoscaling can shrink the variant to 1; min_capacity must be at least 2"
    ]


def test_other_services_are_left_alone() -> None:
    assert (
        check_resource(POLICY, TARGET, {**VARIANT, "serviceNamespace": "ecs", "minCapacity": 0})
        == []
    )


def test_the_floor_comes_from_config() -> None:
    assert (
        check_resource(POLICY, TARGET, {**VARIANT, "minCapacity": 1}, config={"minCapacity": 1})
        == []
    )
