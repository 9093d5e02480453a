"""The drill's scenarios: each acts through `mlops release` and checks how it ended."""

# ruff: noqa: PLR2004 - the versions and counts each scenario expects are the point.

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mlops_platform.lambdas.rollback_trigger import handler as trigger

from ._drill_world import TARGET

if TYPE_CHECKING:
    from .drill import Drill


def _actions(drill: Drill, env: str, since: int = 0) -> list[str]:
    entries = sorted(drill.ledger(env), key=lambda e: str(e["sk"]))
    return [str(e["action"]) for e in entries[since:]]


def clean(drill: Drill) -> list[str]:
    """v2 through staging, then prod with an approval; the same promote again starts nothing."""
    drill.timeline.say("== clean promotion through staging and prod")
    staging = drill.promote("staging", 2)
    drill.approver.enabled.set()
    prod = drill.promote("prod", 2)
    again = drill.promote("prod", 2, "--no-wait")
    sfn = drill.clients.client("stepfunctions")
    machine = sfn.list_state_machines()["stateMachines"]
    arn = next(m["stateMachineArn"] for m in machine if m["name"] == "mlops-prod-promotion")
    runs = sfn.list_executions(stateMachineArn=arn)["executions"]
    return drill.expect(
        "clean promotion",
        [
            (staging == 0 and prod == 0, "both promotions succeed (exit 0)"),
            (again == 0 and len(runs) == 1, "the repeated promote starts no second execution"),
            (drill.released("prod") == 2, "prod's release record is version 2"),
            (drill.world.live.serving_version("prod-fraud-detector") == 2, "prod serves 2"),
            (_actions(drill, "prod") == ["promote-started", "approved", "promoted"], "ledger"),
        ],
    )


def canary(drill: Drill) -> list[str]:
    """v3 in prod: the alarm fires during the bake, its event arrives three times."""
    drill.timeline.say("== canary alarm during the bake")
    before = len(drill.ledger("prod"))
    cloudwatch = drill.clients.client("cloudwatch")
    alarm = f"prod-{TARGET}-5xx"
    arn = cloudwatch.describe_alarms(AlarmNames=[alarm])["MetricAlarms"][0]["AlarmArn"]
    answers: list[str] = []

    def fire(env: str, handler: str, event: dict[str, Any]) -> None:
        if env == "prod" and handler == "bake" and not answers:
            cloudwatch.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="drill")
            change = {
                "id": "drill-event-1",
                "detail-type": trigger.DETAIL_TYPE,
                "resources": [arn],
                "detail": {"alarmName": alarm, "state": {"value": "ALARM"}},
            }
            answers.extend(str(trigger.handler(change, None)["rollback"]) for _ in range(3))
            drill.timeline.say(f"  alarm {alarm} fired; watcher answered {answers}")

    drill.router.before.append(fire)
    code = drill.promote("prod", 3)
    drill.router.before.remove(fire)
    cloudwatch.set_alarm_state(AlarmName=alarm, StateValue="OK", StateReason="drill over")
    applies = [e for env, h, e in drill.router.calls if env == "prod" and h == "apply"]
    return drill.expect(
        "canary alarm",
        [
            (code == 1, "the promotion fails (exit 1)"),
            (answers == ["requested", "duplicate", "duplicate"], "one rollback requested"),
            (_actions(drill, "prod", before).count("rolled-back") == 1, "rolled back once"),
            (drill.released("prod") == 2, "prod's release record is back to 2"),
            (drill.world.live.serving_version("prod-fraud-detector") == 2, "prod serves 2"),
            (sum(e.get("action") == "start" for e in applies) == 3, "one rollback apply"),
        ],
    )


def silent(drill: Drill) -> list[str]:
    """v4 in staging: the apply succeeds but the endpoint keeps serving v2."""
    drill.timeline.say("== silent rollback caught by verification")
    before = len(drill.ledger("staging"))
    drill.world.silent.add(("staging", 4))
    code = drill.promote("staging", 4)
    return drill.expect(
        "silent rollback",
        [
            (code == 1, "the promotion fails (exit 1)"),
            (_actions(drill, "staging", before) == ["promote-started", "silent-rollback",
                                                    "rolled-back"], "ledger"),
            (drill.released("staging") == 2, "staging's release record is back to 2"),
        ],
    )  # fmt: skip


def race(drill: Drill) -> list[str]:
    """v4 and v5 started at once for prod; a rollback asked meanwhile is refused."""
    drill.timeline.say("== two promotions racing for prod")
    drill.approver.enabled.clear()
    before = len(drill.ledger("prod"))
    codes: dict[int, int] = {}
    threads = [
        threading.Thread(target=lambda v=v: codes.__setitem__(v, drill.promote("prod", v)))
        for v in (4, 5)
    ]
    for thread in threads:
        thread.start()
    refused = _when_locked(
        drill,
        lambda: drill.release(
            "rollback", "--stack", "prod", "--target", TARGET, "--reason", "drill: too early"
        ),
    )
    drill.approver.enabled.set()
    for thread in threads:
        thread.join(30)
    winner = 5 if codes.get(5) == 0 else 4
    return drill.expect(
        "race",
        [
            (sorted(codes.values()) == [0, 1], "one wins (exit 0), one loses (exit 1)"),
            (refused == 1, "the rollback is refused while a promotion runs"),
            (drill.released("prod") == winner, "prod's record is the winner's version"),
            (_actions(drill, "prod", before).count("failed") == 1, "the loser is lock-held"),
        ],
    )  # fmt: skip


def _when_locked(drill: Drill, action: Callable[[], int]) -> int:
    table = drill.clients.table("mlops-prod-locks")
    deadline = time.monotonic() + 15
    while "Item" not in table.get_item(Key={"pk": f"lock#prod#{TARGET}"}):
        if time.monotonic() > deadline:
            return -1
        time.sleep(0.05)
    return action()


def report(drill: Drill) -> list[str]:
    """The ledger's history, what served at the clean promotion, and the metrics."""
    drill.timeline.say("== the ledger and the metrics")
    promoted = next(e for e in sorted(drill.ledger("prod"), key=lambda e: str(e["sk"]))
                    if e["action"] == "promoted")  # fmt: skip
    codes = [
        drill.release("history", "--stack", "prod", "--target", TARGET),
        drill.release("at", "--stack", "prod", "--time", str(promoted["recorded_at"])),
        drill.release("status", "--stack", "prod"),
        drill.release("metrics", "--stack", "prod"),
        drill.release("metrics", "--stack", "staging"),
    ]
    return drill.expect("report", [(codes == [0] * 5, "every query exits 0")])


SCENARIOS = (clean, canary, silent, race, report)
"""In order: each starts from what the one before left."""
