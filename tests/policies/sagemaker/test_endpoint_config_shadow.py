from __future__ import annotations

from mlops_platform.policies.sagemaker.endpoint_config_shadow import POLICY
from tests.policies.harness import changed, check_resource, set_at
from tests.policies.sagemaker._fixtures import CONFIG, CONFIG_TYPE

SHADOW = [{"variantName": "candidate", "modelName": "model-2", "initialVariantWeight": 0.5}]
SECOND = {"variantName": "green", "modelName": "model-3", "initialInstanceCount": 2}


def test_no_shadow_passes() -> None:
    assert check_resource(POLICY, CONFIG_TYPE, CONFIG) == []


def test_a_shadow_beside_one_production_variant_passes() -> None:
    props = changed(CONFIG, set_at("shadowProductionVariants", SHADOW))
    assert check_resource(POLICY, CONFIG_TYPE, props) == []


def test_a_shadow_beside_two_production_variants() -> None:
    two = [CONFIG["productionVariants"][0], SECOND]
    with_shadow = changed(CONFIG, set_at("shadowProductionVariants", SHADOW))
    props = changed(with_shadow, set_at("productionVariants", two))
    assert check_resource(POLICY, CONFIG_TYPE, props) == [
        "shadow variant 'candidate' beside 2 production variants; AWS accepts a shadow variant "
        "only beside exactly one production variant"
    ]
