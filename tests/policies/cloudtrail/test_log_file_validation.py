from __future__ import annotations

from mlops_platform.policies.cloudtrail.log_file_validation import POLICY
from tests.policies.cloudtrail._fixtures import COMPLIANT, TRAIL
from tests.policies.harness import changed, check_resource, set_at


def test_validation_on_passes() -> None:
    assert check_resource(POLICY, TRAIL, COMPLIANT) == []


def test_validation_off() -> None:
    props = changed(COMPLIANT, set_at("enableLogFileValidation", False))
    assert check_resource(POLICY, TRAIL, props) == [
        "log file validation is off; set enable_log_file_validation=True"
    ]
