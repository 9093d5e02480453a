from __future__ import annotations

from mlops_platform.policies.governance.instance_types import POLICY
from tests.policies.harness import check_resource

ALLOWED = "ml.t3.*, ml.m5.*, ml.c5.*, t3.*, m5.*, c5.*"
CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"


def test_allowed_types_pass() -> None:
    props = {"productionVariants": [{"instanceType": "ml.m5.xlarge"}]}
    assert check_resource(POLICY, CONFIG, props) == []


def test_a_variant_on_a_type_not_allowed() -> None:
    props = {"productionVariants": [{"instanceType": "ml.p4d.24xlarge"}]}
    assert check_resource(POLICY, CONFIG, props) == [
        f"instance type 'ml.p4d.24xlarge' is not allowed here; allowed: {ALLOWED}"
    ]


def test_shadow_variants_node_groups_and_templates_are_checked() -> None:
    shadow = {
        "productionVariants": [],
        "shadowProductionVariants": [{"instanceType": "ml.g5.xlarge"}],
    }
    assert len(check_resource(POLICY, CONFIG, shadow)) == 1
    group = {"instanceTypes": ["m5.large", "p5.48xlarge"]}
    assert check_resource(POLICY, "aws:eks/nodeGroup:NodeGroup", group) == [
        f"instance type 'p5.48xlarge' is not allowed here; allowed: {ALLOWED}"
    ]
    template = {"instanceType": "g6.xlarge"}
    assert len(check_resource(POLICY, "aws:ec2/launchTemplate:LaunchTemplate", template)) == 1


def test_the_allow_list_comes_from_config() -> None:
    props = {"instanceTypes": ["p5.48xlarge"]}
    config = {"allowedInstanceTypes": ["p5.*"]}
    assert check_resource(POLICY, "aws:eks/nodeGroup:NodeGroup", props, config=config) == []
