from __future__ import annotations

from mlops_platform.policies.sagemaker.model_isolation import POLICY
from tests.policies.harness import changed, check_resource, drop_at, set_at
from tests.policies.sagemaker._fixtures import MODEL, MODEL_TYPE

MESSAGE = "network isolation is off; set enable_network_isolation=True"


def test_an_isolated_model_passes() -> None:
    assert check_resource(POLICY, MODEL_TYPE, MODEL) == []


def test_isolation_off() -> None:
    props = changed(MODEL, set_at("enableNetworkIsolation", False))
    assert check_resource(POLICY, MODEL_TYPE, props) == [MESSAGE]


def test_isolation_unset() -> None:
    props = changed(MODEL, drop_at("enableNetworkIsolation"))
    assert check_resource(POLICY, MODEL_TYPE, props) == [MESSAGE]
