from __future__ import annotations

from mlops_platform.policies.sfn.tracing import POLICY, STATE_MACHINE
from tests.policies.harness import check_resource


def test_tracing_on_passes() -> None:
    assert check_resource(POLICY, STATE_MACHINE, {"tracingConfiguration": {"enabled": True}}) == []


def test_tracing_off() -> None:
    assert check_resource(POLICY, STATE_MACHINE, {"tracingConfiguration": {"enabled": False}}) == [
        "X-Ray tracing is off; set tracing_configuration.enabled=True"
    ]
