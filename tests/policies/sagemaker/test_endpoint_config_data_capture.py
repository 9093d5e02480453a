from __future__ import annotations

from mlops_platform.policies.sagemaker.endpoint_config_data_capture import POLICY
from tests.policies.harness import changed, check_resource, drop_at, set_at
from tests.policies.sagemaker._fixtures import CONFIG, CONFIG_TYPE


def test_capture_on_passes() -> None:
    assert check_resource(POLICY, CONFIG_TYPE, CONFIG) == []


def test_no_capture_config() -> None:
    assert check_resource(POLICY, CONFIG_TYPE, changed(CONFIG, drop_at("dataCaptureConfig"))) == [
        "data capture is off; add data_capture_config so predictions can be audited"
    ]


def test_capture_disabled() -> None:
    props = changed(CONFIG, set_at("dataCaptureConfig.enableCapture", False))
    assert check_resource(POLICY, CONFIG_TYPE, props) == [
        "data capture is disabled (enable_capture=False); turn it on"
    ]
