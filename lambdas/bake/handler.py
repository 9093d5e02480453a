"""One check of the bake: is any alarm of the target in ALARM, or was an incident claimed?

Env: `LOCK_TABLE`. Event: `{"env", "target", "owner", "alarm_names", "check"?, "checks"}`;
`owner` is the promotion's execution name, the scope of its incident.
Returns `{"alarm": bool, "alarm_name", "check", "done"}`: flat values, so a Choice can test
them (moto returns lists for paths after an index).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..common import aws, lock
from ..common.events import Reader

INCIDENT_TTL_SECONDS = 30 * 86400


def handler(event: Mapping[str, object], _context: object) -> dict[str, object]:
    """Look at the alarms once; on ALARM claim the incident for this version."""
    reader = Reader("bake event", event)
    env, target = reader.name("env"), reader.name("target")
    owner = reader.string("owner")
    names = reader.strings("alarm_names")
    check = reader.integer("check", default=0)
    checks = reader.integer("checks", minimum=1, maximum=10000)
    reader.done(None)
    table = aws.table(aws.setting("LOCK_TABLE"))
    key = lock.incident_key(env, target, owner)
    firing = ""
    if names:
        alarms = aws.client("cloudwatch").describe_alarms(AlarmNames=list(names))["MetricAlarms"]
        firing = next((a["AlarmName"] for a in alarms if a["StateValue"] == "ALARM"), "")
    if firing:
        lock.claim_once(
            table, key, {"alarm": firing, "source": "bake"}, aws.now_epoch(), INCIDENT_TTL_SECONDS
        )
    claimed = lock.read(table, key)
    if claimed is not None:
        return {
            "alarm": True,
            "alarm_name": str(claimed.get("alarm", "")),
            "check": check,
            "done": True,
        }
    return {"alarm": False, "alarm_name": "", "check": check + 1, "done": check + 1 >= checks}
