"""The promotion workflow on moto, one test per path, asserting ledger and release record."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from lambdas.rollback_trigger.handler import DETAIL_TYPE

from .harness import ENV, TARGET, World, release


def promotion(version: int, **changes: Any) -> dict[str, Any]:
    """A valid promotion input of `version` with every wait at zero."""
    payload: dict[str, Any] = {
        "env": ENV,
        "target": TARGET,
        "actor": "ci@fraud",
        "release": release(version),
        "approval": {"required": False, "timeout_seconds": 60},
        "bake": {"interval_seconds": 0, "checks": 2, "alarm_names": ["fraud-5xx"]},
        "timing": {"poll_seconds": 0, "max_polls": 5},
        "lock_ttl_seconds": 600,
    }
    payload.update(changes)
    return payload


def test_happy_path_promotes_and_records(world: World) -> None:
    world.alarm()
    world.serve(4)
    run = world.promote(promotion(5))
    assert (run.status, run.error) == ("SUCCEEDED", "")
    assert world.actions() == ["promote-started", "promoted"]
    promoted = world.ledger()[-1]
    assert (promoted["version"], promoted["actor"], promoted["outcome"]) == (5, "ci@fraud", "succeeded")
    assert promoted["image_digest"] == release(5)["image_digest"]
    assert promoted["execution_arn"].endswith(":promote-1")
    assert world.released_version() == 5
    assert world.serving_version() == 5
    assert not world.locked()
    assert any("Promotion succeeded" in m for m in world.messages())
