from __future__ import annotations

from mlops_platform.policies.sagemaker.model_vpc import POLICY
from tests.policies.harness import changed, check_resource, drop_at, set_at
from tests.policies.sagemaker._fixtures import MODEL, MODEL_TYPE


def test_a_model_in_the_vpc_passes() -> None:
    assert check_resource(POLICY, MODEL_TYPE, MODEL) == []


def test_no_vpc_config() -> None:
    assert check_resource(POLICY, MODEL_TYPE, changed(MODEL, drop_at("vpcConfig"))) == [
        "the model runs outside the VPC; set vpc_config with private subnets"
    ]


def test_no_subnets() -> None:
    assert check_resource(POLICY, MODEL_TYPE, changed(MODEL, set_at("vpcConfig.subnets", []))) == [
        "vpc_config names no subnets; list the network's private subnets"
    ]


def test_no_security_groups() -> None:
    props = changed(MODEL, set_at("vpcConfig.securityGroupIds", []))
    assert check_resource(POLICY, MODEL_TYPE, props) == [
        "vpc_config names no security groups; add one"
    ]
