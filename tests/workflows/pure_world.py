"""In-memory stand-ins for the promotion workflow's functions, for the pure interpreter.

Each stand-in accepts exactly the event its real handler reads (the key sets below are written
from the handlers, independently of the definition) and answers with the shape the real handler
returns. Intake and ledger parsing are the real pure code. Faults are injected per state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlops_platform.components.workflows.definitions import (
    PromotionFunctions,
    RetryPolicy,
    promotion_definition,
)
from mlops_platform.lambdas.common.events import InvalidEvent
from mlops_platform.lambdas.common.ledger import LedgerEntry
from mlops_platform.lambdas.intake.handler import handler as intake

from .asl import Interpreter, Run, TaskError

ARN = "arn:aws:lambda:us-east-1:123456789012:function:{}"
TOPIC = "arn:aws:sns:us-east-1:123456789012:promotions"
NAMES = ("intake", "lock", "ledger", "release", "apply", "verify", "bake", "approval")
FUNCTIONS = PromotionFunctions(*(ARN.format(n) for n in NAMES))

_LOCK = {"env", "target", "action", "owner", "ttl_seconds"}
EVENT_KEYS: dict[tuple[str, str], set[str]] = {
    ("intake", ""): {"kind", "input"},
    ("lock", "acquire"): _LOCK,
    ("lock", "release"): _LOCK,
    ("release", "write"): {"env", "target", "action", "record"},
    ("release", "restore"): {"env", "target", "action", "previous"},
    ("release", "mark"): {"env", "target", "action", "package_arn"},
    ("apply", "start"): {"env", "target", "action", "version"},
    ("apply", "status"): {"action", "build_id"},
    ("verify", ""): {"env", "target", "previous_endpoint_config", "attempt", "max_attempts"},
    ("bake", ""): {"env", "target", "owner", "alarm_names", "check", "checks"},
    ("approval", ""): {"pipeline", "stage", "action", "pipeline_execution_id"},
}
"""What each real handler reads, by (function, action)."""

ENV, TARGET = "dev", "fraud-detector"


def release(version: int) -> dict[str, Any]:
    """A valid release record of version `version`; its fields differ from version to version."""
    return {
        "version": version,
        "package_arn": f"arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud/{version}",
        "image": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:{version}",
        "image_digest": "sha256:" + f"{version:02d}" * 32,
        "model_data_url": f"s3://models/fraud/{version}/model.tar.gz",
        "commit": f"c0ffee{version:02d}",
        "endpoint_name": TARGET,
        "variants": [{"name": "primary", "weight": 1.0, "instance_count": 2}],
    }


LEDGER_KEYS = set(LedgerEntry.__dataclass_fields__) - {"recorded_at"}


def promotion_input(version: int, **changes: Any) -> dict[str, Any]:
    """A valid promotion input; every number differs, so a path read from the wrong field shows."""
    payload: dict[str, Any] = {
        "env": ENV,
        "target": TARGET,
        "actor": "ci@fraud",
        "release": release(version),
        "approval": {"required": False, "timeout_seconds": 61},
        "bake": {"interval_seconds": 3, "checks": 2, "alarm_names": ["fraud-5xx"]},
        "timing": {"poll_seconds": 7, "max_polls": 5},
        "lock_ttl_seconds": 600,
    }
    payload.update(changes)
    return payload


@dataclass
class World:
    """The promotion's functions over plain state; `run` executes the real definition."""

    record: dict[str, Any] | None = None
    serving: int = 0
    serving_config: str = "config-0"
    lock_owner: str | None = None
    ledger: list[LedgerEntry] = field(default_factory=list)
    notices: list[dict[str, Any]] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)
    faults: dict[str, list[TaskError]] = field(default_factory=dict)
    """Errors raised by the next calls of a state, in order."""
    approval: dict[str, Any] | None = None
    """The approver's answer; None times out."""
    pipeline: dict[str, str] | None = None
    """What CodePipeline says of the named approval (approver, comment, approved_at); None:
    not granted."""
    apply_busy: int = 0
    """Status polls that still report IN_PROGRESS."""
    verify_busy: int = 0
    """Verify calls that still find the endpoint updating."""
    silent: bool = False
    """The first forward verify finds the endpoint rolled back by SageMaker."""
    alarm_at: int | None = None
    """The bake check at which the alarm fires."""
    builds: dict[str, int] = field(default_factory=dict)
    events: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def serve(self, version: int) -> None:
        """`version` is released and serving before the promotion."""
        self.record, self.serving, self.serving_config = (
            release(version),
            version,
            f"config-{version}",
        )

    def fail(self, state: str, *errors: str) -> None:
        """The next calls of `state` raise `errors`, one each."""
        self.faults.setdefault(state, []).extend(TaskError(e, f"{e} in {state}") for e in errors)

    def run(self, payload: dict[str, Any], **retry: Any) -> Run:
        """Execute the promotion definition on `payload`."""
        definition = promotion_definition(FUNCTIONS, TOPIC, RetryPolicy(**retry))
        return Interpreter(definition, self.handle, name="promote-1").run(payload)

    def actions(self) -> list[str]:
        """Ledger actions in order."""
        return [e.action for e in self.ledger]

    def handle(self, state: str, resource: str, event: dict[str, Any]) -> Any:
        """Dispatch one task call."""
        self.events.append((state, resource, event))
        if self.faults.get(state):
            raise self.faults[state].pop(0)
        if resource == "arn:aws:states:::sns:publish":
            assert set(event) == {"TopicArn", "Subject", "Message"}, event
            assert event["TopicArn"] == TOPIC
            self.notices.append(event)
            return {"MessageId": "m"}
        if resource == "arn:aws:states:::sns:publish.waitForTaskToken":
            assert set(event) == {"TopicArn", "Subject", "Message"}, event
            assert event["TopicArn"] == TOPIC
            self.notices.append(event)
            if self.approval is None:
                raise TaskError("States.Timeout", "no answer")
            return {**self.approval, "extra": "dropped by ResultSelector"}
        function = resource.rsplit(":", 1)[1]
        assert resource == ARN.format(function)
        if function == "ledger":
            return self._ledger(event)
        action = event.get("action", "") if function in ("lock", "release", "apply") else ""
        assert set(event) == EVENT_KEYS[(function, action)], (function, sorted(event))
        if function != "intake" and "env" in event:
            assert (event["env"], event["target"]) == (ENV, TARGET), event
        return getattr(self, f"_{function}")(event)

    def _intake(self, event: dict[str, Any]) -> Any:
        try:
            return intake(event, None)
        except InvalidEvent as error:
            raise TaskError("InvalidEvent", str(error)) from error

    def _ledger(self, event: dict[str, Any]) -> Any:
        assert set(event) <= LEDGER_KEYS, sorted(set(event) - LEDGER_KEYS)
        try:
            self.ledger.append(LedgerEntry.parse(event, "2026-01-01T00:00:01Z"))
        except InvalidEvent as error:
            raise TaskError("InvalidEvent", str(error)) from error
        return {"written": True, "sk": "sk"}

    def _lock(self, event: dict[str, Any]) -> Any:
        assert 60 <= event["ttl_seconds"] <= 86400
        if event["action"] == "release":
            released = self.lock_owner == event["owner"]
            self.lock_owner = None if released else self.lock_owner
            return {"released": released}
        if self.lock_owner not in (None, event["owner"]):
            raise TaskError("LockHeld", f"{ENV}/{TARGET} is being promoted by {self.lock_owner}")
        self.lock_owner = event["owner"]
        return {"acquired": True, "owner": event["owner"]}

    def _release(self, event: dict[str, Any]) -> Any:
        if event["action"] == "mark":
            self.marked.append(event["package_arn"])
            return {"marked": event["package_arn"]}
        if event["action"] == "write":
            previous, self.record = self.record, event["record"]
            return {
                "previous": previous,
                "previous_version": previous["version"] if previous else 0,
                "previous_endpoint_config": self.serving_config,
            }
        self.record = event["previous"]
        if self.record is None:
            return {"restored_version": 0, "package_arn": "", "image_digest": "", "commit": ""}
        keys = ("package_arn", "image_digest", "commit")
        return {"restored_version": self.record["version"], **{k: self.record[k] for k in keys}}

    def _apply(self, event: dict[str, Any]) -> Any:
        if event["action"] == "start":
            build = f"build-{len(self.builds) + 1}"
            self.builds[build] = event["version"]
            return {"build_id": build}
        if self.apply_busy:
            self.apply_busy -= 1
            return {"build_status": "IN_PROGRESS", "done": False}
        self.serving = self.builds[event["build_id"]]
        self.serving_config = f"config-{self.serving}"
        return {"build_status": "SUCCEEDED", "done": True}

    def _verify(self, event: dict[str, Any]) -> Any:
        if self.verify_busy:
            self.verify_busy -= 1
            return {"state": "waiting", "attempt": event["attempt"] + 1, "endpoint_status": "x"}
        if self.silent and event["previous_endpoint_config"]:
            raise TaskError("SilentRollback", f"still serves {event['previous_endpoint_config']}")
        assert self.record is not None
        assert self.record["version"] == self.serving
        return {"state": "verified", "attempt": event["attempt"], "endpoint_config": "c"}

    def _approval(self, event: dict[str, Any]) -> Any:
        if self.pipeline is None:
            raise TaskError("ApprovalNotGranted", f"{event['stage']}.{event['action']} not granted")
        return {"approved": True, **self.pipeline}

    def _bake(self, event: dict[str, Any]) -> Any:
        check = event["check"]
        if self.alarm_at is not None and check >= self.alarm_at:
            return {
                "alarm": True,
                "alarm_name": event["alarm_names"][0],
                "check": check,
                "done": True,
            }
        done = check + 1 >= event["checks"]
        return {"alarm": False, "alarm_name": "", "check": check + 1, "done": done}
