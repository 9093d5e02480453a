"""The ledger: an append-only DynamoDB table of everything that happened to each target.

Keys (see docs/workflows.md for the queries):
    pk          `<env>#<target>`; the history of one target is one partition.
    sk          `<execution start>#<execution name>#<step:02d>#<action>`; sorts by time, and a
                retried write of the same step collides and is recognised as already written.
    serving_env / serving_sk (`<target>#<recorded_at>`): set only on entries after which a new
                version serves (`promoted`, `rolled-back`); the sparse index `serving` answers
                "what served in ENV at time T".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from .events import Reader

ACTIONS = (
    "promote-started",
    "approved",
    "rejected",
    "release-written",
    "applied",
    "verified",
    "silent-rollback",
    "promoted",
    "rolled-back",
    "failed",
    "training-started",
    "gate-rejected",
    "registered",
    "training-failed",
)
"""Every action a ledger entry may record."""

SERVING_ACTIONS = frozenset({"promoted", "rolled-back"})
"""Actions after which the entry's version is what serves."""

SERVING_INDEX = "serving"
"""Name of the sparse global secondary index over serving entries."""


@dataclass(frozen=True)
class LedgerEntry:
    """One immutable fact about one target."""

    env: str
    """Environment."""
    target: str
    """Endpoint or model service."""
    action: str
    """One of `ACTIONS`."""
    step: int
    """Position of the writing step in its workflow, so retries collide."""
    execution_arn: str
    """The Step Functions execution that wrote it."""
    started_at: str
    """When that execution started (ISO 8601)."""
    recorded_at: str
    """When the entry was written (ISO 8601, UTC)."""
    outcome: str = ""
    """Short result, e.g. `succeeded`, `lock-held`, `alarm`."""
    actor: str = ""
    """Who or what started the execution."""
    version: int = 0
    """Model package version concerned (0 when none)."""
    package_arn: str = ""
    """Model package ARN concerned."""
    image_digest: str = ""
    """Image digest concerned."""
    commit: str = ""
    """Git commit concerned."""
    approval: str = ""
    """Approver, when a human approved or rejected."""
    comment: str = ""
    """What the approver wrote (a pipeline approval's comment; empty when none was given)."""
    approved_at: str = ""
    """When the pipeline approval was granted (ISO 8601; empty for a task-token approval)."""
    alarm: str = ""
    """Alarm that caused a rollback."""
    reason: str = ""
    """Why, in words, for failures and gate decisions."""

    @property
    def execution_name(self) -> str:
        """Last segment of the execution ARN."""
        return self.execution_arn.rsplit(":", 1)[-1]

    def key(self) -> dict[str, str]:
        """The entry's primary key."""
        return {
            "pk": f"{self.env}#{self.target}",
            "sk": f"{self.started_at}#{self.execution_name}#{self.step:02d}#{self.action}",
        }

    def to_item(self) -> dict[str, Any]:
        """The DynamoDB item (document form, for a boto3 Table resource or a serializer)."""
        item: dict[str, Any] = {**asdict(self), **self.key()}
        if self.action in SERVING_ACTIONS:
            item["serving_env"] = self.env
            item["serving_sk"] = f"{self.target}#{self.recorded_at}"
        return item

    @classmethod
    def parse(cls, event: object, recorded_at: str) -> LedgerEntry:
        """Build from a ledger event; raises `InvalidEvent` naming every bad field."""
        reader = Reader("ledger event", event)
        entry = cls(
            env=reader.name("env"),
            target=reader.name("target"),
            action=reader.choice("action", ACTIONS),
            step=reader.integer("step", minimum=0, maximum=99),
            execution_arn=reader.string("execution_arn"),
            started_at=reader.string("started_at"),
            recorded_at=recorded_at,
            outcome=reader.string("outcome", required=False),
            actor=reader.string("actor", required=False),
            version=reader.integer("version", default=0),
            package_arn=reader.string("package_arn", required=False),
            image_digest=reader.string("image_digest", required=False),
            commit=reader.string("commit", required=False),
            approval=reader.string("approval", required=False),
            comment=reader.string("comment", required=False),
            approved_at=reader.string("approved_at", required=False),
            alarm=reader.string("alarm", required=False),
            reason=reader.string("reason", required=False),
        )
        return reader.done(entry)


def served_at(entries: Iterable[Mapping[str, Any]], moment: str) -> dict[str, Mapping[str, Any]]:
    """What served each target at `moment`, from serving entries of one environment.

    Args:
        entries: Items of the `serving` index for one environment (any order).
        moment: ISO 8601 time, comparable as text with `recorded_at`.

    Returns:
        For each target, the last serving entry recorded at or before `moment`.
    """
    result: dict[str, Mapping[str, Any]] = {}
    for entry in sorted(entries, key=lambda e: str(e["recorded_at"])):
        if str(entry["recorded_at"]) <= moment:
            result[str(entry["target"])] = entry
    return result
