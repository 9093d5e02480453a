"""Normal changes never replace the live endpoint: its replacement-forcing inputs stay put.

In the provider (`internal/service/sagemaker/endpoint.go`) two inputs of the endpoint are
`ForceNew`: `name` and `deployment_config.auto_rollback_configuration`. The endpoint has an
explicit name, so a replacement deletes the serving endpoint before creating the new one.
"""

from __future__ import annotations

from typing import Any

import pytest

from mlops_platform.components import ModelEndpoint, VariantSpec
from mlops_platform.testing import Registry
from tests.components.endpoint_fixtures import (
    ENDPOINT,
    IMAGE,
    NEXT_IMAGE,
    PLACEMENT,
    PREFIX,
    blue,
    endpoint_args,
    green,
)
from tests.conftest import RunProgram


def forcing(registry: Registry) -> dict[str, Any]:
    """The endpoint's inputs whose change makes the provider replace it."""
    endpoint = registry.one(ENDPOINT).inputs
    return {
        "name": endpoint["name"],
        "autoRollbackConfiguration": endpoint["deploymentConfig"].get("autoRollbackConfiguration"),
    }


def preview(run: RunProgram, variants: list[VariantSpec], **overrides: Any) -> Registry:
    args = endpoint_args(variants=variants, **overrides)
    return run(lambda: ModelEndpoint("fraud", args, PLACEMENT))


TEAL = VariantSpec(
    name="teal", instance_type="ml.m5.large", instance_count=2, weight=5, image=IMAGE,
    model_data=f"{PREFIX}1.3.0/model.tar.gz",
)  # fmt: skip


@pytest.mark.parametrize(
    "changed",
    [
        # a variant added, and a model version changed
        [blue(image=NEXT_IMAGE, model_data=f"{PREFIX}1.5.0/model.tar.gz"), green(), TEAL],
        [blue(), green(image=IMAGE, model_data=f"{PREFIX}1.4.0/model.tar.gz")],
        [blue(weight=50), green(weight=50)],  # reweighted
        [blue(weight=100)],  # a variant removed
        [blue(name="blue"), green(name="green-2")],  # a variant renamed
    ],
)
def test_changing_variants_and_versions_keeps_the_endpoints_forcing_inputs(
    run: RunProgram, changed: list[VariantSpec]
) -> None:
    before = preview(run, [blue(), green()])
    after = preview(run, changed)
    assert forcing(after) == forcing(before)
    assert forcing(before)["autoRollbackConfiguration"] is not None
    # what changed went into a new endpoint configuration, which the endpoint updates to
    assert after.one(ENDPOINT).inputs["endpointConfigName"] is not None


def test_the_rollback_alarms_are_named_by_purpose_not_by_variant(run: RunProgram) -> None:
    registry = preview(run, [blue(), green(), TEAL], extra_rollback_alarms=["p99-slo"])
    name = registry.one(ENDPOINT).inputs["name"]
    assert forcing(registry)["autoRollbackConfiguration"] == {
        "alarms": [
            {"alarmName": f"{name}-5xx"},
            {"alarmName": f"{name}-latency"},
            {"alarmName": "p99-slo"},
        ]
    }
