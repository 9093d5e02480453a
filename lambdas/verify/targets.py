"""Which targets are model services on EKS, as the verify function's configuration says.

The component that creates the function knows each target's kind and sets `EKS_TARGETS`:
`{"<target>": {"cluster_name", "namespace", "rollout"}}`. A target not listed is a SageMaker
endpoint. The kind therefore comes from the deployed configuration, not from a record or an
input anyone can write: a record cannot send the verifier to another cluster or namespace, and
the seeds the platform writes for services (`endpoint_name` = the service) verify as services.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..common.events import Reader

VARIABLE = "EKS_TARGETS"
"""The environment variable that lists the EKS targets."""


@dataclass(frozen=True)
class ServiceRef:
    """Where a model service runs: its cluster, its namespace, its Argo Rollout."""

    cluster_name: str
    """The EKS cluster."""
    namespace: str
    """The service's namespace."""
    rollout: str
    """The Argo Rollout's name."""


def parse_targets(text: str) -> dict[str, ServiceRef]:
    """The EKS targets from the variable's JSON; empty for an empty or absent variable.

    Raises:
        InvalidEvent: naming every bad entry (a misconfigured function fails every verify).
    """
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = text
    reader = Reader(VARIABLE, value)
    found = {}
    for target in value if isinstance(value, dict) else {}:
        child = reader.nested(target)
        found[target] = ServiceRef(
            child.name("cluster_name"), child.name("namespace"), child.name("rollout")
        )
    return reader.done(found)
