"""`promote` and `rollback`: start the promotion workflow once, and follow it to its end."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, TextIO

from mlops_platform.lambdas.common import lock

from . import packages, render
from .errors import BadInput, Refused
from .naming import execution_arn, execution_name
from .stack import Stack

TERMINAL_EVENTS = {"ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"}


@dataclass(frozen=True)
class Request:
    """What to promote and how."""

    target: str
    """The target."""
    package: str
    """`--package` (or `--to` of a rollback) as given."""
    actor: str
    """Who asks."""
    reason: str = ""
    """Why (kept in the record's `extra`)."""
    attempt: int = 1
    """Attempt number: a new one starts a new execution of the same change."""
    wait: bool = True
    """Follow the execution to its end."""
    poll: float = 1.0
    """Seconds between two looks at the execution's history."""
    settings: Mapping[str, Any] | None = None
    """Promotion settings from flags (None: not given)."""


def start(stack: Stack, request: Request, kind: str, out: TextIO, fmt: str) -> int:
    """Start (or find) the execution for `request`, then follow it unless told not to."""
    current = stack.check_target(request.target)
    output = stack.targets.get(request.target, {})
    arn = packages.package_arn(
        request.package, request.target, current, str(output.get("package_group", ""))
    )
    sagemaker = stack.clients.client("sagemaker")
    record = packages.release_record(sagemaker, arn, current, output)
    record = replace(record, extra={"reason": request.reason, "kind": kind})
    settings = packages.PromotionSettings.for_target(stack.env, output, request.settings or {})
    alarms = list(output.get("alarm_names") or []) or packages.tagged_alarms(
        stack.clients.client("cloudwatch"), stack.env, request.target
    )
    # A promote is named by what it promotes (and the attempt): a repeat finds the same
    # execution even after it ended. A rollback is named by what it restores and from what.
    salt = f"attempt-{request.attempt}"
    if kind == "rollback":
        salt += f"#from-v{current.version if current else 0}"
    name = execution_name(kind, stack.env, request.target, arn, salt)
    payload = packages.promotion_input(
        stack.env, request.target, request.actor, record, settings, alarms
    )
    sfn = stack.clients.client("stepfunctions")
    exec_arn = execution_arn(stack.state_machine_arn, name)
    try:
        status = sfn.describe_execution(executionArn=exec_arn)["status"]
        note = (
            f"execution {name} already exists ({status}); not starting another "
            "(--attempt N starts the same change anew)"
        )
    except sfn.exceptions.ExecutionDoesNotExist:
        sfn.start_execution(
            stateMachineArn=stack.state_machine_arn, name=name, input=json.dumps(payload)
        )
        note = f"started {kind} of {request.target} to version {record.version} in {stack.env}"
    if fmt == "text":
        print(f"{note}\nexecution {exec_arn}", file=out, flush=True)
    if not request.wait:
        if fmt == "json":
            print(render.as_json({"execution_arn": exec_arn, "note": note}), file=out)
        return 0
    return follow(sfn, exec_arn, out, fmt, request.poll)


def follow(sfn: Any, exec_arn: str, out: TextIO, fmt: str, poll: float = 1.0) -> int:
    """Print each step of the execution as it happens, until it ends; 0 when it succeeded."""
    seen, steps = 0, []
    while True:
        events = _history(sfn, exec_arn)
        start = events[0]["timestamp"] if events else None
        for event in events[seen:]:
            line = _step(event, start)
            if line:
                steps.append(line)
                if fmt == "text":
                    print(f"  {line}", file=out, flush=True)
        seen = len(events)
        if events and events[-1]["type"] in TERMINAL_EVENTS:
            break
        time.sleep(poll)
    described = sfn.describe_execution(executionArn=exec_arn)
    result = {
        "execution_arn": exec_arn,
        "status": described["status"],
        "error": described.get("error", ""),
        "cause": described.get("cause", ""),
        "steps": steps,
    }
    if fmt == "json":
        print(render.as_json(result), file=out)
    else:
        tail = f": {result['error']}: {result['cause']}" if result["error"] else ""
        print(f"{described['status']}{tail}", file=out, flush=True)
    return 0 if described["status"] == "SUCCEEDED" else 1


def _history(sfn: Any, exec_arn: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"executionArn": exec_arn, "maxResults": 1000}
    while True:
        page = sfn.get_execution_history(**kwargs)
        events += page["events"]
        if not page.get("nextToken"):
            return events
        kwargs["nextToken"] = page["nextToken"]


def _step(event: Mapping[str, Any], start: Any) -> str:
    offset = (event["timestamp"] - start).total_seconds() if start else 0.0
    kind = str(event["type"])
    if kind.endswith("StateEntered"):
        return f"+{offset:6.2f}s  {event['stateEnteredEventDetails']['name']}"
    if kind in ("TaskFailed", "LambdaFunctionFailed"):
        details = event.get("taskFailedEventDetails") or event.get(
            "lambdaFunctionFailedEventDetails", {}
        )
        return f"+{offset:6.2f}s    ! {details.get('error', '')}"
    return ""


def previous_version(stack: Stack, target: str, current: int) -> int:
    """The version that served before `current`, from the ledger's serving entries."""
    versions = [
        int(e.get("version", 0))
        for e in sorted(stack.serving(), key=lambda e: str(e["recorded_at"]))
        if e["target"] == target
    ]
    earlier = [v for v in versions if v not in (current, 0)]
    if not earlier:
        raise Refused(
            f"{stack.env}/{target}: nothing served before version {current}; give --to VERSION"
        )
    return earlier[-1]


def rollback(stack: Stack, request: Request, force: bool, out: TextIO, fmt: str) -> int:
    """Promote the previous (or the `--to`) version; refuse while a promotion runs."""
    current = stack.check_target(request.target)
    if current is None:
        raise Refused(f"{stack.env}/{request.target} has no release record: nothing to roll back")
    held = stack.running(request.target)
    if held is not None:
        owner = str(held["owner"])
        if not force:
            raise Refused(
                f"refused: promotion {owner} of {stack.env}/{request.target} is running and "
                "holds the target's lock; a rollback now would race it and lose the lock. Wait "
                "for it to end (it rolls back by itself on an alarm), or pass --force to stop it"
            )
        _stop(stack, request.target, owner, request.reason, out)
    to = request.package or str(previous_version(stack, request.target, current.version))
    if to == str(current.version):
        raise BadInput(f"--to {to}: version {to} is what serves {stack.env}/{request.target} now")
    return start(stack, replace(request, package=to), "rollback", out, fmt)


def _stop(stack: Stack, target: str, owner: str, reason: str, out: TextIO) -> None:
    sfn = stack.clients.client("stepfunctions")
    done = f"stopped execution {owner} and"
    try:
        sfn.stop_execution(
            executionArn=execution_arn(stack.state_machine_arn, owner),
            error="ForcedRollback",
            cause=f"stopped by mlops release rollback --force: {reason}",
        )
    except sfn.exceptions.ExecutionDoesNotExist:
        done = f"execution {owner} no longer exists;"
    table = stack.clients.table(stack.resources.lock_table)
    lock.release(table, lock.lock_key(stack.env, target), owner)
    print(f"{done} released its lock (--force)", file=out, flush=True)
