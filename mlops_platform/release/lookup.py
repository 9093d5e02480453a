"""What served at an instant, and who approved it, from the ledger's serving entries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mlops_platform.lambdas.common.ledger import served_at


def _approver(entry: Mapping[str, Any], serving: list[Mapping[str, Any]]) -> str:
    """Who approved the version `entry` made serve.

    A `promoted` entry names its approver. A `rolled-back` entry restores an older version: its
    approver is the one of the last `promoted` entry of that version before it.
    """
    if entry["action"] == "promoted":
        return str(entry.get("approval", ""))
    earlier = [
        e
        for e in serving
        if e["action"] == "promoted"
        and e["target"] == entry["target"]
        and e.get("version") == entry.get("version")
        and str(e["recorded_at"]) <= str(entry["recorded_at"])
    ]
    return str(earlier[-1].get("approval", "")) if earlier else ""


def serving_rows(
    serving: Iterable[Mapping[str, Any]], moment: str, target: str | None = None
) -> list[dict[str, Any]]:
    """One row per target: the version serving at `moment` (ledger format), and its approver.

    Args:
        serving: Items of the `serving` index of one environment.
        moment: The instant, as `times.to_ledger` renders it; an entry recorded exactly then
            counts as serving.
        target: Only this target.

    Returns:
        Rows sorted by target with target, version, since, action, approved_by, actor, commit,
        package_arn, execution.
    """
    items = sorted(serving, key=lambda e: str(e["recorded_at"]))
    if target is not None:
        items = [e for e in items if e["target"] == target]
    rows = []
    for name, entry in sorted(served_at(items, moment).items()):
        rows.append(
            {
                "target": name,
                "version": int(entry.get("version", 0)),
                "since": str(entry["recorded_at"]),
                "action": str(entry["action"]),
                "approved_by": _approver(entry, items),
                "actor": str(entry.get("actor", "")),
                "commit": str(entry.get("commit", "")),
                "package_arn": str(entry.get("package_arn", "")),
                "execution": str(entry.get("execution_arn", "")).rsplit(":", 1)[-1],
            }
        )
    return rows
