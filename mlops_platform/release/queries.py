"""`status`, `history`, `at` and `metrics`: questions answered from the ledger and records."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TextIO

from mlops_platform.lambdas.common.lock import incident_key
from mlops_platform.lambdas.verify.live import mismatches, read_live

from . import lookup, metrics, render, times
from .stack import Stack

HISTORY_COLUMNS = ("recorded_at", "action", "version", "outcome", "actor", "approval", "execution")
AT_COLUMNS = ("target", "version", "since", "action", "approved_by", "actor", "commit", "execution")
STATUS_COLUMNS = ("target", "released", "live", "running", "last", "last_at")


def _emit(out: TextIO, fmt: str, value: Any, text: str) -> None:
    print(render.as_json(value) if fmt == "json" else text, file=out)


def live_problems(sagemaker: Any, record: Any) -> tuple[str, list[str]]:
    """The live configuration of the record's endpoint and how it differs from the record."""
    try:
        endpoint = sagemaker.describe_endpoint(EndpointName=record.endpoint_name)
    except sagemaker.exceptions.ClientError:
        return "missing", [f"endpoint {record.endpoint_name} does not exist"]
    live = read_live(sagemaker, endpoint)
    return live.config_name, mismatches(live, record, "")


def _status_row(stack: Stack, target: str) -> dict[str, Any]:
    record = stack.release(target)
    row: dict[str, Any] = {"target": target, "released": record.version if record else None}
    row["live"], row["mismatches"] = (
        live_problems(stack.clients.client("sagemaker"), record) if record else ("-", [])
    )
    held = stack.running(target)
    row["running"] = str(held["owner"]) if held else None
    history = stack.history(target)
    last = history[-1] if history else {}
    row["last"] = "/".join(str(last[k]) for k in ("action", "outcome") if last.get(k)) or None
    row["last_at"] = last.get("recorded_at")
    return row


def status(stack: Stack, target: str | None, out: TextIO, fmt: str) -> int:
    """What serves now per target; 1 when a live configuration differs from its record."""
    if target is not None:
        stack.check_target(target)
    names = [target] if target else stack.released_targets()
    rows = [_status_row(stack, name) for name in names]
    text = render.table(rows, STATUS_COLUMNS) if rows else f"nothing released in {stack.env}"
    flagged = [r for r in rows if r["mismatches"]]
    for row in flagged:
        text += f"\nMISMATCH {row['target']}: live differs from the release record: " + "; ".join(
            row["mismatches"]
        )
    _emit(out, fmt, {"env": stack.env, "targets": rows}, text)
    return 1 if flagged else 0


def history(stack: Stack, target: str, since: datetime | None, out: TextIO, fmt: str) -> int:
    """The target's ledger entries, oldest first, from `since` on."""
    stack.check_target(target)
    low = times.to_ledger(since) if since else ""
    rows = [
        {**e, "execution": str(e.get("execution_arn", "")).rsplit(":", 1)[-1]}
        for e in sorted(stack.history(target), key=lambda e: str(e["recorded_at"]))
        if str(e["recorded_at"]) >= low
    ]
    text = (
        render.table(rows, HISTORY_COLUMNS)
        if rows
        else f"no ledger entries for {stack.env}/{target}"
    )
    _emit(out, fmt, {"env": stack.env, "target": target, "entries": rows}, text)
    return 0


def served(stack: Stack, moment: datetime, target: str | None, out: TextIO, fmt: str) -> int:
    """What served each target (or `target`) at `moment`, and who approved it."""
    if target is not None:
        stack.check_target(target)
    at = times.to_ledger(moment)
    rows = lookup.serving_rows(stack.serving(), at, target)
    scope = f"{stack.env}/{target}" if target else stack.env
    text = render.table(rows, AT_COLUMNS) if rows else f"nothing served {scope} at {at}"
    _emit(out, fmt, {"env": stack.env, "at": at, "serving": rows}, text)
    return 0


def delivery(stack: Stack, since: datetime | None, until: datetime, out: TextIO, fmt: str) -> int:
    """The four delivery metrics per target and overall."""
    entries = stack.everything()
    mine = [e for e in entries if e.get("env") == stack.env]
    start = since or min((times.from_ledger(str(e["recorded_at"])) for e in mine), default=until)
    detected = _incidents(stack, mine)
    built = _package_times(stack, mine)
    result = metrics.delivery_metrics(entries, stack.env, start, until, detected, built)
    rows = [m.as_dict() for m in result]
    shown = [
        {
            **r,
            "cfr": r["change_failure_rate"],
            "lead_time": render.duration(r["lead_time_median_seconds"]),
            "restore": render.duration(r["time_to_restore_median_seconds"]),
            "per_day": r["deployments_per_day"],
        }
        for r in rows
    ]
    columns = (
        "target",
        "deployments",
        "per_day",
        "changes",
        "failures",
        "cfr",
        "lead_time",
        "restore",
    )
    window = f"{times.to_ledger(start)} .. {times.to_ledger(until)}"
    text = f"delivery metrics of {stack.env}, {window}\n" + render.table(shown, columns)
    _emit(
        out,
        fmt,
        {"env": stack.env, "since": start.isoformat(), "until": until.isoformat(), "metrics": rows},
        text,
    )
    return 0


def _package_times(stack: Stack, entries: list[dict[str, Any]]) -> dict[str, str]:
    """Commit -> creation time of the model package built from it, for promoted entries."""
    sagemaker = stack.clients.client("sagemaker")
    found: dict[str, str] = {}
    for arn, commit in {
        (str(e.get("package_arn", "")), str(e.get("commit", "")))
        for e in entries
        if e["action"] == "promoted"
    }:
        if not arn or not commit:
            continue
        try:
            created = sagemaker.describe_model_package(ModelPackageName=arn)["CreationTime"]
        except (sagemaker.exceptions.ClientError, KeyError):
            continue
        at = times.to_ledger(created)
        found[commit] = min(at, found.get(commit, at))
    return found


def _incidents(stack: Stack, entries: list[dict[str, Any]]) -> dict[str, str]:
    """Execution name -> when its incident was claimed (the alarm), for rolled-back ones."""
    table = stack.clients.table(stack.resources.lock_table)
    found: dict[str, str] = {}
    for entry in entries:
        if entry["action"] != "rolled-back":
            continue
        name = str(entry["execution_arn"]).rsplit(":", 1)[-1]
        key = incident_key(stack.env, str(entry["target"]), name)
        item = table.get_item(Key={"pk": key}).get("Item")
        if item and "claimed_at" in item:
            found[name] = times.to_ledger(datetime.fromtimestamp(int(item["claimed_at"]), UTC))
    return found
