from __future__ import annotations

from mlops_platform.policies.sagemaker.endpoint_config_instances import POLICY
from tests.policies.harness import changed, check_resource, drop_at, set_at
from tests.policies.sagemaker._fixtures import CONFIG, CONFIG_TYPE


def test_two_instances_pass() -> None:
    assert check_resource(POLICY, CONFIG_TYPE, CONFIG) == []


def test_one_instance() -> None:
    props = changed(CONFIG, set_at("productionVariants.0.initialInstanceCount", 1))
    assert check_resource(POLICY, CONFIG_TYPE, props) == [
        "production variant 'primary' starts 1 instances; at least 2 required"
    ]


def test_an_unset_count() -> None:
    props = changed(CONFIG, drop_at("productionVariants.0.initialInstanceCount"))
    assert check_resource(POLICY, CONFIG_TYPE, props) == [
        "production variant 'primary' starts an unset number of instances; at least 2 required"
    ]


def test_the_minimum_comes_from_config() -> None:
    props = changed(CONFIG, set_at("productionVariants.0.initialInstanceCount", 1))
    assert check_resource(POLICY, CONFIG_TYPE, props, config={"minInstances": 1}) == []


def test_serverless_variants_are_not_counted() -> None:
    serverless = [{"variantName": "s", "serverlessConfig": {"maxConcurrency": 5}}]
    props = changed(CONFIG, set_at("productionVariants", serverless))
    assert check_resource(POLICY, CONFIG_TYPE, props) == []
