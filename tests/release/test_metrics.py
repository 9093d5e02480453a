"""The delivery metrics on a hand-checked ledger, and the `at` look-up on its boundaries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mlops_platform.lambdas.common.ledger import LedgerEntry
from mlops_platform.release.lookup import serving_rows
from mlops_platform.release.metrics import delivery_metrics

EXEC = "arn:aws:states:us-east-1:123456789012:execution:mlops-prod-promotion:"


def entry(env: str, action: str, run: str, at: str, **fields: Any) -> dict[str, Any]:
    """One ledger item as the ledger handler writes it."""
    values: dict[str, Any] = {"target": "scoring", "version": 0, "commit": "", **fields}
    return LedgerEntry(
        env=env,
        action=action,
        step=0,
        execution_arn=EXEC + run,
        started_at=at,
        recorded_at=at,
        **values,
    ).to_item()


# A: v1 promoted; B: v2 rolled back to v1 on an alarm; C: v2 failed; D: lost the lock race;
# E: v3 promoted. c1 was first seen in dev's training, c3 in staging.
LEDGER = [
    entry("dev", "training-started", "T", "2026-11-01T08:00:00.000000Z", commit="c1"),
    entry("prod", "promote-started", "A", "2026-11-01T10:00:00.000000Z", version=1, commit="c1"),
    entry("prod", "promoted", "A", "2026-11-01T10:05:00.000000Z", version=1, commit="c1",
          approval="alice"),
    entry("prod", "promote-started", "B", "2026-11-02T09:00:00.000000Z", version=2, commit="c2"),
    entry("prod", "rolled-back", "B", "2026-11-02T09:20:00.000000Z", version=1, commit="c1",
          outcome="CanaryAlarm", approval="bob"),
    entry("prod", "promote-started", "C", "2026-11-03T08:00:00.000000Z", version=2, commit="c2"),
    entry("prod", "failed", "D", "2026-11-03T08:00:30.000000Z", version=2, outcome="lock-held"),
    entry("prod", "failed", "C", "2026-11-03T08:01:00.000000Z", version=2,
          outcome="RollbackFailed"),
    entry("staging", "promoted", "S", "2026-11-04T06:00:00.000000Z", version=3, commit="c3"),
    entry("prod", "promote-started", "E", "2026-11-04T12:00:00.000000Z", version=3, commit="c3"),
    entry("prod", "promoted", "E", "2026-11-04T12:30:00.000000Z", version=3, commit="c3",
          approval="carol"),
]  # fmt: skip
SINCE = datetime(2026, 11, 1, tzinfo=UTC)
UNTIL = datetime(2026, 11, 8, tzinfo=UTC)


def test_metrics_of_a_hand_checked_ledger() -> None:
    scoring, overall = delivery_metrics(
        LEDGER, "prod", SINCE, UNTIL, {"B": "2026-11-02T09:10:00.000000Z"}
    )
    assert scoring.as_dict() == {
        "target": "scoring",
        "deployments": 2,  # A and E
        "deployments_per_day": round(2 / 7, 4),
        "changes": 4,  # A, B, C, E; D never got the lock
        "failures": 2,  # B rolled back, C failed
        "change_failure_rate": 0.5,
        "lead_time_median_seconds": 15450.0,
        "lead_times_seconds": [7500.0, 23400.0],  # 08:00 -> 10:05, staging 06:00 -> 12:30
        "time_to_restore_median_seconds": 600.0,  # alarm claimed 09:10, v1 back at 09:20
        "restore_times_seconds": [600.0],
    }
    assert overall.as_dict() == {**scoring.as_dict(), "target": "*"}


def test_restore_falls_back_to_the_silent_rollback_then_to_the_start() -> None:
    silent = entry("prod", "silent-rollback", "B", "2026-11-02T09:15:00.000000Z", version=2)
    (with_silent, _) = delivery_metrics([*LEDGER, silent], "prod", SINCE, UNTIL)
    assert with_silent.restore_times == [300.0]
    (without, _) = delivery_metrics(LEDGER, "prod", SINCE, UNTIL)
    assert without.restore_times == [1200.0]


def test_window_leaves_out_earlier_entries_but_not_the_commit_they_saw() -> None:
    (scoring, _) = delivery_metrics(LEDGER, "prod", datetime(2026, 11, 4, tzinfo=UTC), UNTIL)
    assert (scoring.deployments, scoring.changes, scoring.failures) == (1, 1, 0)
    assert scoring.lead_times == [23400.0]
    assert scoring.per_day == 1 / 4


def test_an_environment_without_entries_has_only_the_empty_overall_line() -> None:
    [overall] = delivery_metrics(LEDGER, "qa", SINCE, UNTIL)
    assert overall.as_dict()["change_failure_rate"] is None
    assert overall.as_dict()["lead_time_median_seconds"] is None


SERVING = [e for e in LEDGER if e.get("serving_env") == "prod"]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-01T10:04:59.999999Z", []),
        ("2026-11-01T10:05:00.000000Z", [(1, "promoted", "alice", "A")]),  # exactly on it
        ("2026-11-02T09:19:59.999999Z", [(1, "promoted", "alice", "A")]),
        # The rollback restored v1: alice approved v1, bob only the failed v2.
        ("2026-11-02T09:20:00.000000Z", [(1, "rolled-back", "alice", "B")]),
        ("2026-11-04T12:30:00.000000Z", [(3, "promoted", "carol", "E")]),
    ],
)
def test_at_on_and_around_boundaries(moment: str, expected: list[tuple[Any, ...]]) -> None:
    rows = serving_rows(SERVING, moment, "scoring")
    assert [(r["version"], r["action"], r["approved_by"], r["execution"]) for r in rows] == expected


def test_a_known_build_time_of_the_commit_replaces_the_ledger_first_sight() -> None:
    built = {"c3": "2026-11-04T11:00:00.000000Z"}
    (scoring, _) = delivery_metrics(LEDGER, "prod", SINCE, UNTIL, None, built)
    assert scoring.lead_times == [7500.0, 5400.0]
