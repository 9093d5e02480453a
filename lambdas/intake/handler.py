"""Check a workflow's execution input before anything is written or locked.

Env: none. Event: `{"kind": "promotion"|"training", "input": <the execution input>}`.
Returns `{"valid": true}`; raises `InvalidEvent` naming every bad field. Every field the
definition reads by path is required here, so a valid input can never fail on a missing path.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..common.approval import REFERENCE_FIELDS
from ..common.events import MISSING, Reader
from ..common.release import ReleaseRecord
from ..gate.decide import Criteria

APPROVED_ENVIRONMENTS = frozenset({"prod"})
"""Environments whose promotions always have a person's approval: the workflow's own
(`required` true) or the pipeline's Manual approval that the block names (`required` false)."""


def _pipeline_reference(approval: Reader, env: str) -> bool:
    """Check the pipeline approval the block names, if any; whether it names a whole one."""
    if all(approval.raw(name) is MISSING for name in REFERENCE_FIELDS):
        return False
    before = len(approval.problems)
    pipeline = approval.name("pipeline")
    for name in REFERENCE_FIELDS[1:]:
        approval.name(name)
    if pipeline and not pipeline.startswith(f"{env}-"):
        approval.problem("pipeline", pipeline, f"must be a pipeline of env {env} ('{env}-...')")
    return len(approval.problems) == before


def _approval(reader: Reader, env: str) -> None:
    approval = reader.nested("approval")
    approval.boolean("required")
    approval.integer("timeout_seconds", minimum=1, maximum=604800)
    given = approval.raw("required")
    named = _pipeline_reference(approval, env)
    if given is True and named:
        approval.problem(
            "required",
            given,
            "the pipeline approval named here is the promotion's approval; only false is "
            "allowed with it (one approval per promotion)",
        )
    if env in APPROVED_ENVIRONMENTS and (given is False or given is MISSING) and not named:
        approval.problem(
            "required",
            given,
            f"env {env} promotions need a person's approval: true (the workflow asks), or "
            "false with the whole pipeline approval that granted it "
            f"({', '.join(REFERENCE_FIELDS)})",
        )


def _promotion(reader: Reader) -> None:
    env = reader.name("env")
    reader.name("target")
    reader.string("actor")
    ReleaseRecord.read(reader.nested("release"))
    _approval(reader, env)
    bake = reader.nested("bake")
    bake.integer("interval_seconds", maximum=3600)
    bake.integer("checks", minimum=1, maximum=10000)
    bake.strings("alarm_names", required=True)
    timing = reader.nested("timing")
    timing.integer("poll_seconds", maximum=600)
    timing.integer("max_polls", minimum=1, maximum=1000)
    reader.integer("lock_ttl_seconds", minimum=60, maximum=86400)


def _training(reader: Reader) -> None:
    reader.name("env")
    reader.name("target")
    reader.string("actor")
    reader.name("job_name")
    reader.string("commit")
    for name in ("data_uri", "output_uri"):
        uri = reader.string(name)
        if uri and not uri.startswith("s3://"):
            reader.problem(name, uri, "must be an s3:// URI")
    reader.strings("expected_columns", required=True)
    reader.integer("min_rows", minimum=1)
    image = reader.nested("image")
    image.string("uri")
    image.string("digest")
    reader.mapping("hyperparameters")
    reader.name("package_group")
    reader.name("endpoint_name")
    Criteria.read(reader.nested("criteria"))
    reader.integer("lock_ttl_seconds", minimum=60, maximum=86400)
    timing = reader.nested("timing")
    timing.integer("poll_seconds", maximum=600)
    timing.integer("max_polls", minimum=1, maximum=1000)


def handler(event: Mapping[str, object], _context: object) -> dict[str, object]:
    """Validate the input of a promotion or training execution."""
    outer = Reader("execution input", event)
    kind = outer.choice("kind", ("promotion", "training"))
    outer.done(None)
    reader = Reader(f"{kind} execution input", event.get("input"))
    (_promotion if kind == "promotion" else _training)(reader)
    return reader.done({"valid": True})
