"""Alarm watcher: an alarm of a target entered ALARM; claim the one rollback of this incident.

Env: `LOCK_TABLE`. Event: EventBridge "CloudWatch Alarm State Change". The alarm names its
target with the tags `mlops:env` and `mlops:target`. The incident is scoped to the promotion
holding the target's lock (`incident#<env>#<target>#<execution>`), or to the version serving
when none runs (`...#serving-<version>`); every duplicate or concurrent event of it after the
first is ignored. The bake of the running promotion sees the claim and rolls back once.
Returns `requested` (a promotion will roll back), `unattended` (claimed, no promotion runs:
an operator acts), `duplicate` or `ignored`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..common import aws, lock
from ..common.events import Reader
from ..common.release import read_release

INCIDENT_TTL_SECONDS = 30 * 86400
DETAIL_TYPE = "CloudWatch Alarm State Change"


def handler(event: Mapping[str, object], _context: object) -> dict[str, object]:
    """Claim the incident; returns `{"rollback": "requested"|"duplicate"|"ignored", ...}`."""
    reader = Reader("alarm event", event)
    reader.choice("detail-type", (DETAIL_TYPE,))
    event_id = reader.string("id")
    arns = reader.strings("resources", required=True)
    detail = reader.nested("detail")
    alarm = detail.string("alarmName")
    state = detail.nested("state").string("value")
    reader.done(None)
    if state != "ALARM":
        return {"rollback": "ignored", "reason": f"state is {state}, not ALARM"}
    tags = aws.client("cloudwatch").list_tags_for_resource(ResourceARN=arns[0])["Tags"]
    by_key = {t["Key"]: t["Value"] for t in tags}
    env, target = by_key.get("mlops:env", ""), by_key.get("mlops:target", "")
    if not env or not target:
        return {
            "rollback": "ignored",
            "reason": f"alarm {alarm} has no mlops:env/mlops:target tags",
        }
    table = aws.table(aws.setting("LOCK_TABLE"))
    promotion = lock.read(table, lock.lock_key(env, target))
    if promotion is not None:
        scope = str(promotion["owner"])
    else:
        record = read_release(aws.client("ssm"), env, target)
        if record is None:
            return {"rollback": "ignored", "reason": f"nothing released for {env}/{target}"}
        scope = f"serving-{record.version}"
    key = lock.incident_key(env, target, scope)
    attributes = {"alarm": alarm, "event_id": event_id, "source": "event"}
    won = lock.claim_once(table, key, attributes, aws.now_epoch(), INCIDENT_TTL_SECONDS)
    if not won:
        return {"rollback": "duplicate", "incident": key}
    return {"rollback": "requested" if promotion else "unattended", "incident": key}
