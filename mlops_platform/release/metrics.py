"""The four delivery metrics, computed from ledger entries alone.

Definitions (per target, and over every target of the environment):

- deployments: promotion executions that ended `promoted` in the window; frequency is that
  count divided by the window's length in days.
- lead time: from the commit to the `promoted` entry. The commit's time is the creation of the
  model package built from it when known (`commit_times`), else the first ledger entry of the
  table that carries the commit (the training run that built it, or its first promotion).
- change failure rate: of the executions that tried a change (ended `promoted`, `rolled-back` or
  `failed`, but not `lock-held`), the share that ended `rolled-back` or `failed`.
- time to restore: from the detection of a bad version (the incident claim of the alarm when
  known, else the `silent-rollback` entry, else the promotion's start) to the `rolled-back`
  entry, after which the previous version serves again.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .times import from_ledger

PROMOTION_ENDS = ("promoted", "rolled-back", "failed")
"""Actions that end a promotion execution's story."""


@dataclass
class TargetMetrics:
    """The metrics of one target (or of all targets: `target` = `*`)."""

    target: str
    """The target, or `*` for every target together."""
    deployments: int = 0
    """Promotions that ended `promoted`."""
    per_day: float = 0.0
    """Deployments per day over the window."""
    changes: int = 0
    """Promotions that tried a change."""
    failures: int = 0
    """Of those, the ones rolled back or failed."""
    lead_times: list[float] = field(default_factory=list)
    """Seconds from commit to serving, one per deployment whose commit is known."""
    restore_times: list[float] = field(default_factory=list)
    """Seconds from detection to the previous version serving, one per rollback."""

    @property
    def change_failure_rate(self) -> float | None:
        """Failures / changes; None without changes."""
        return self.failures / self.changes if self.changes else None

    def as_dict(self) -> dict[str, Any]:
        """Plain values, medians included (None where nothing was measured)."""
        return {
            "target": self.target,
            "deployments": self.deployments,
            "deployments_per_day": round(self.per_day, 4),
            "changes": self.changes,
            "failures": self.failures,
            "change_failure_rate": _round(self.change_failure_rate),
            "lead_time_median_seconds": _median(self.lead_times),
            "lead_times_seconds": [round(s, 3) for s in self.lead_times],
            "time_to_restore_median_seconds": _median(self.restore_times),
            "restore_times_seconds": [round(s, 3) for s in self.restore_times],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def _seconds(start: str, end: str) -> float:
    return (from_ledger(end) - from_ledger(start)).total_seconds()


def commit_first_seen(entries: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The earliest `recorded_at` of each commit over `entries` (every environment)."""
    first: dict[str, str] = {}
    for entry in entries:
        commit, at = str(entry.get("commit", "")), str(entry["recorded_at"])
        if commit and (commit not in first or at < first[commit]):
            first[commit] = at
    return first


def _by_execution(entries: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    runs: dict[str, list[Mapping[str, Any]]] = {}
    for entry in sorted(entries, key=lambda e: str(e["recorded_at"])):
        runs.setdefault(str(entry["execution_arn"]), []).append(entry)
    return runs


def _account(
    into: TargetMetrics,
    run: list[Mapping[str, Any]],
    first_seen: Mapping[str, str],
    detected: Mapping[str, str],
) -> None:
    end = next((e for e in reversed(run) if e["action"] in PROMOTION_ENDS), None)
    if end is None or end.get("outcome") == "lock-held":
        return
    into.changes += 1
    if end["action"] == "promoted":
        into.deployments += 1
        commit = str(end.get("commit", ""))
        if commit in first_seen:
            into.lead_times.append(_seconds(first_seen[commit], str(end["recorded_at"])))
        return
    into.failures += 1
    if end["action"] == "rolled-back":
        name = str(end["execution_arn"]).rsplit(":", 1)[-1]
        silent = next((e for e in run if e["action"] == "silent-rollback"), None)
        start = detected.get(name) or (silent or run[0])["recorded_at"]
        into.restore_times.append(_seconds(str(start), str(end["recorded_at"])))


def delivery_metrics(  # noqa: PLR0917 - entries, what, when, and two optional look-ups.
    entries: Iterable[Mapping[str, Any]],
    env: str,
    since: datetime,
    until: datetime,
    detected: Mapping[str, str] | None = None,
    commit_times: Mapping[str, str] | None = None,
) -> list[TargetMetrics]:
    """The four metrics of `env` over [since, until], per target and then overall (`*`).

    Args:
        entries: Ledger items of every environment (lead time looks for a commit's first entry
            in any of them).
        env: The environment measured.
        since: Start of the window; entries recorded before it are not counted.
        until: End of the window.
        detected: Execution name -> ISO time the bad version was detected (incident claims).
        commit_times: Commit -> ISO time it was built, replacing the ledger's first sight.

    Returns:
        One `TargetMetrics` per target with entries in the window, sorted, then the overall one.
    """
    everything = list(entries)
    first_seen = {**commit_first_seen(everything), **(commit_times or {})}
    low, high = since.isoformat(), until.isoformat()
    days = max((until - since).total_seconds() / 86400, 1e-9)
    mine = [
        e
        for e in everything
        if e.get("env") == env
        and low <= from_ledger(str(e["recorded_at"])).isoformat() <= high
        and not str(e["action"]).startswith("training")
        and e["action"] not in ("registered", "gate-rejected")
    ]
    per_target: dict[str, TargetMetrics] = {}
    overall = TargetMetrics("*")
    for run in _by_execution(mine).values():
        target = str(run[0]["target"])
        for into in (per_target.setdefault(target, TargetMetrics(target)), overall):
            _account(into, run, first_seen, detected or {})
    result = [per_target[name] for name in sorted(per_target)] + [overall]
    for item in result:
        item.per_day = item.deployments / days
    return result
