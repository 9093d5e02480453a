"""Champion/challenger gate: compare the challenger with what the live endpoint serves.

Env: none. Event: `{"endpoint_name", "challenger_metrics": {name: number}, "criteria":
{"objectives": [...], "guards": [...]}}`. The champion is resolved from the endpoint itself
(endpoint -> endpoint config -> model -> model package), and its metrics are the package's
`CustomerMetadataProperties` entries `metric:<name>`. Returns `{"accept", "reasons",
"champion_package_arn"}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..common import aws
from ..common.events import Reader
from .decide import Criteria, decide

METRIC_PREFIX = "metric:"


def live_champion(sagemaker: Any, endpoint_name: str) -> tuple[str, dict[str, float]] | None:
    """The model package the endpoint serves and its metrics; None when nothing serves."""
    try:
        endpoint = sagemaker.describe_endpoint(EndpointName=endpoint_name)
    except sagemaker.exceptions.ClientError:
        return None
    config = sagemaker.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
    model = sagemaker.describe_model(ModelName=config["ProductionVariants"][0]["ModelName"])
    containers = model.get("Containers") or [model.get("PrimaryContainer", {})]
    arns = [c["ModelPackageName"] for c in containers if c.get("ModelPackageName")]
    if not arns:
        return None
    package = sagemaker.describe_model_package(ModelPackageName=arns[0])
    metrics = {
        key[len(METRIC_PREFIX) :]: float(value)
        for key, value in package.get("CustomerMetadataProperties", {}).items()
        if key.startswith(METRIC_PREFIX)
    }
    return arns[0], metrics


def handler(event: Mapping[str, object], _context: object) -> dict[str, object]:
    """Resolve the champion live, then decide."""
    reader = Reader("gate event", event)
    endpoint_name = reader.name("endpoint_name")
    metrics_reader = reader.nested("challenger_metrics")
    raw = reader.mapping("challenger_metrics")
    challenger = {name: metrics_reader.number(name) for name in raw}
    criteria = Criteria.read(reader.nested("criteria"))
    reader.done(None)
    champion = live_champion(aws.client("sagemaker"), endpoint_name)
    decision = decide(champion[1] if champion else None, challenger, criteria)
    return {**decision.as_dict(), "champion_package_arn": champion[0] if champion else ""}
