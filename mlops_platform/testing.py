"""Unit-test helpers for programs and components built on the platform, with no engine.

`run_program` runs any Pulumi program under the SDK's mock runtime with deterministic ids and
ARNs, records every registration as the engine would receive it (inputs with the engine's
camelCase names, parent, provider, options, dependencies), and fails on any invoke it does not
know. Ask the returned `Registry` questions instead of walking raw lists::

    from mlops_platform.components import Network, NetworkArgs
    from mlops_platform.testing import policy_document, run_program

    def test_flow_logs_are_encrypted() -> None:
        registry = run_program(lambda: Network("net", NetworkArgs(vpc_cidr="10.0.0.0/16")))
        group = registry.one("aws:cloudwatch/logGroup:LogGroup")
        assert group.inputs["kmsKeyId"] == registry.one("aws:kms/key:Key").state["arn"]
"""

from __future__ import annotations

import json
from typing import Any

from mlops_platform.preview.mocks import DeterministicMocks, UnknownInvokeError
from mlops_platform.preview.recorder import (
    DuplicateUrnError,
    Registration,
    Registry,
    run_program,
)

__all__ = [
    "DeterministicMocks",
    "DuplicateUrnError",
    "Registration",
    "Registry",
    "UnknownInvokeError",
    "policy_document",
    "run_program",
    "statement",
]


def policy_document(registration: Registration, key: str = "policy") -> dict[str, Any]:
    """Parse the JSON policy document (IAM, key, bucket, topic) in one of a resource's inputs."""
    document: dict[str, Any] = json.loads(registration.inputs[key])
    return document


def statement(document: dict[str, Any], sid: str) -> dict[str, Any]:
    """The one statement of a policy document with the given Sid; fails unless there is one."""
    found: list[dict[str, Any]] = [s for s in document["Statement"] if s.get("Sid") == sid]
    if len(found) != 1:
        raise AssertionError(f"expected one statement {sid!r} in {document}")
    return found[0]
