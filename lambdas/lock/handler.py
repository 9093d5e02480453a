"""Take or release the promotion lock of one target.

Env: `LOCK_TABLE` (the coordination table). Event:
`{"action": "acquire"|"release", "env", "target", "owner", "ttl_seconds"?}`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..common import aws, lock
from ..common.events import Reader


def handler(event: Mapping[str, object], _context: object) -> dict[str, object]:
    """Acquire (raising `LockHeld` when another execution holds it) or release the lock."""
    reader = Reader("lock event", event)
    action = reader.choice("action", ("acquire", "release"))
    env, target, owner = reader.name("env"), reader.name("target"), reader.string("owner")
    ttl = reader.integer("ttl_seconds", minimum=60, maximum=86400, default=3600)
    reader.done(None)
    table = aws.table(aws.setting("LOCK_TABLE"))
    key = lock.lock_key(env, target)
    if action == "release":
        return {"released": lock.release(table, key, owner)}
    claim = lock.acquire(table, key, owner, aws.now_epoch(), ttl)
    if not claim.won:
        raise lock.LockHeld(
            f"{env}/{target} is being promoted by execution {claim.holder}; "
            "this promotion did nothing; start it again once that one ends"
        )
    return {"acquired": True, "owner": owner}
