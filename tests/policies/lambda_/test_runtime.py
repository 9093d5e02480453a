from __future__ import annotations

from mlops_platform.policies.lambda_.runtime import FUNCTION, POLICY
from tests.policies.harness import check_resource

ALLOWED = "python3.12, python3.13, nodejs22.x, java21, provided.al2023"


def test_a_supported_runtime_passes() -> None:
    assert check_resource(POLICY, FUNCTION, {"runtime": "python3.12", "handler": "h"}) == []


def test_a_deprecated_runtime() -> None:
    assert check_resource(POLICY, FUNCTION, {"runtime": "python3.8"}) == [
        f"the function uses runtime 'python3.8'; allowed: {ALLOWED}"
    ]


def test_no_runtime_for_a_zip() -> None:
    assert check_resource(POLICY, FUNCTION, {"handler": "h"}) == [
        f"the function uses no runtime; allowed: {ALLOWED}"
    ]


def test_container_images_bring_their_own_runtime() -> None:
    assert check_resource(POLICY, FUNCTION, {"packageType": "Image", "imageUri": "i"}) == []


def test_runtimes_come_from_config() -> None:
    props = {"runtime": "python3.11"}
    assert check_resource(POLICY, FUNCTION, props, config={"allowedRuntimes": ["python3.11"]}) == []
