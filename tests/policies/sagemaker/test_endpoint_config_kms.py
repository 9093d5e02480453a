from __future__ import annotations

from mlops_platform.policies.sagemaker.endpoint_config_kms import POLICY
from tests.policies.harness import changed, check_resource, drop_at, set_at
from tests.policies.sagemaker._fixtures import CONFIG, CONFIG_TYPE

NO_VOLUME_KEY = (
    "the ML storage volumes are not encrypted with a customer managed key; set kms_key_arn"
)


def test_keys_for_volumes_and_capture_pass() -> None:
    assert check_resource(POLICY, CONFIG_TYPE, CONFIG) == []


def test_no_volume_key() -> None:
    assert check_resource(POLICY, CONFIG_TYPE, changed(CONFIG, drop_at("kmsKeyArn"))) == [
        NO_VOLUME_KEY
    ]


def test_no_capture_key() -> None:
    props = changed(CONFIG, drop_at("dataCaptureConfig.kmsKeyId"))
    assert check_resource(POLICY, CONFIG_TYPE, props) == [
        "captured requests are written without a KMS key; set data_capture_config.kms_key_id"
    ]


def test_instances_with_local_nvme_storage_need_no_volume_key() -> None:
    props = changed(CONFIG, lambda p: (p.pop("kmsKeyArn"), None))
    props = changed(props, set_at("productionVariants.0.instanceType", "ml.g5.2xlarge"))
    assert check_resource(POLICY, CONFIG_TYPE, props) == []


def test_serverless_variants_need_no_volume_key() -> None:
    serverless = [{"variantName": "s", "modelName": "m", "serverlessConfig": {"maxConcurrency": 5}}]
    props = changed(CONFIG, lambda p: (p.pop("kmsKeyArn"), p.update(productionVariants=serverless)))
    assert check_resource(POLICY, CONFIG_TYPE, props) == []


def test_hardware_encrypted_types_come_from_config() -> None:
    props = changed(CONFIG, drop_at("kmsKeyArn"))
    config = {"hardwareEncryptedInstancePatterns": ["ml.m5.*"]}
    assert check_resource(POLICY, CONFIG_TYPE, props, config=config) == []
