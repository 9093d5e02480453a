"""In-memory stand-ins for the training workflow's functions, for the pure interpreter.

As in pure_world.py: each accepts exactly what its real handler reads; the gate's decision and
the intake are the real pure code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlops_platform.components.workflows.definitions import (
    RetryPolicy,
    TrainingFunctions,
    training_definition,
)
from mlops_platform.lambdas.common.events import Reader
from mlops_platform.lambdas.gate.decide import Criteria, decide

from .asl import Interpreter, Run
from .pure_world import ARN, ENV, TARGET, TOPIC, World

FUNCTIONS = TrainingFunctions(
    *(ARN.format(n) for n in ("intake", "lock", "ledger", "training", "gate"))
)
PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud/{}"

TRAINING_KEYS: dict[str, set[str]] = {
    "validate": {"action", "data_uri", "expected_columns", "min_rows"},
    "start": {"action", "job_name", "image", "data_uri", "output_uri", "hyperparameters"},
    "status": {"action", "job_name"},
    "evaluate": {"action", "output_uri", "job_name"},
    "register": {
        "action",
        "package_group",
        "image",
        "image_digest",
        "model_data_url",
        "metrics",
        "lineage",
        "hyperparameters",
    },
}
"""What the real training handler reads, by action."""
GATE_KEYS = {"endpoint_name", "challenger_metrics", "criteria"}


def training_input(**changes: Any) -> dict[str, Any]:
    """A valid training input; every value differs, so a path read from the wrong field shows."""
    payload: dict[str, Any] = {
        "env": ENV,
        "target": TARGET,
        "actor": "schedule/nightly",
        "job_name": "train-1",
        "commit": "c0ffee99",
        "data_uri": "s3://data/fraud/train.csv",
        "output_uri": "s3://models/fraud",
        "expected_columns": ["amount", "label"],
        "min_rows": 2,
        "image": {"uri": "fraud:2", "digest": "sha256:" + "ab" * 32},
        "hyperparameters": {"max_depth": "6"},
        "package_group": "fraud",
        "endpoint_name": "fraud-endpoint",
        "criteria": {
            "objectives": [{"metric": "auc", "direction": "higher", "min_absolute": 0.01}],
            "guards": [],
        },
        "timing": {"poll_seconds": 9, "max_polls": 5},
        "lock_ttl_seconds": 600,
    }
    payload.update(changes)
    return payload


@dataclass
class Trainer(World):
    """The training functions over plain state."""

    champion: dict[str, float] | None = None
    metrics: dict[str, float] = field(default_factory=lambda: {"auc": 0.9})
    train_busy: int = 0
    """Status polls that still report InProgress."""
    registered: list[dict[str, Any]] = field(default_factory=list)

    def run(self, payload: dict[str, Any], **retry: Any) -> Run:  # type: ignore[override]
        """Execute the training definition on `payload`."""
        definition = training_definition(FUNCTIONS, TOPIC, RetryPolicy(**retry))
        return Interpreter(definition, self.handle, name="train-1").run(payload)

    def handle(self, state: str, resource: str, event: dict[str, Any]) -> Any:
        """Dispatch one task call."""
        function = resource.rsplit(":", 1)[-1]
        if function == "training":
            self.events.append((state, resource, event))
            if self.faults.get(state):
                raise self.faults[state].pop(0)
            assert set(event) == TRAINING_KEYS[event["action"]], (state, sorted(event))
            return getattr(self, f"_train_{event['action']}")(event)
        if function == "gate":
            self.events.append((state, resource, event))
            if self.faults.get(state):
                raise self.faults[state].pop(0)
            assert set(event) == GATE_KEYS, sorted(event)
            criteria = Reader("criteria", event["criteria"])
            decision = decide(self.champion, event["challenger_metrics"], Criteria.read(criteria))
            return {**decision.as_dict(), "champion_package_arn": PACKAGE.format(1)}
        if function == "lock":
            self.events.append((state, resource, event))
            if self.faults.get(state):
                raise self.faults[state].pop(0)
            assert set(event) == {"env", "target", "action", "owner", "ttl_seconds"}, event
            assert (event["env"], event["target"]) == (ENV, f"{TARGET}.training"), event
            return self._lock(event)
        return super().handle(state, resource, event)

    def _train_validate(self, event: dict[str, Any]) -> Any:
        return {"rows": event["min_rows"] + 1, "sha256": "d" * 64}

    def _train_start(self, event: dict[str, Any]) -> Any:
        return {"job_name": event["job_name"]}

    def _train_status(self, event: dict[str, Any]) -> Any:
        if self.train_busy:
            self.train_busy -= 1
            return {"status": "InProgress", "done": False, "model_data_url": ""}
        url = f"s3://models/fraud/{event['job_name']}/model.tar.gz"
        return {"status": "Completed", "done": True, "model_data_url": url}

    def _train_evaluate(self, _event: dict[str, Any]) -> Any:
        return {"metrics": dict(self.metrics)}

    def _train_register(self, event: dict[str, Any]) -> Any:
        self.registered.append(event)
        return {"package_arn": PACKAGE.format(2), "version": 2}
