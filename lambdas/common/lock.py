"""The promotion lock and the incident claim: conditional writes to one coordination table.

Items (partition key `pk` only; `expires_at` is the table's TTL attribute, epoch seconds):
    `lock#<env>#<target>`                owner (execution name), acquired_at, expires_at
    `incident#<env>#<target>#<scope>`    alarm, event_id, source, claimed_at, expires_at
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class LockHeld(RuntimeError):  # noqa: N818 - the name is what a Step Functions Catch matches on.
    """Another execution holds the lock of this target."""


def lock_key(env: str, target: str) -> str:
    """Partition key of the promotion lock of `target` in `env`."""
    return f"lock#{env}#{target}"


def incident_key(env: str, target: str, scope: str) -> str:
    """Partition key of the one rollback allowed per incident of `target` in `env`.

    `scope` is the promotion execution that holds the lock (its bake acts on the claim), or
    `serving-<version>` when no promotion runs; a later promotion never meets an old claim.
    """
    return f"incident#{env}#{target}#{scope}"


@dataclass(frozen=True)
class Claim:
    """The outcome of a conditional write."""

    won: bool
    """Whether this caller took it."""
    holder: str
    """Who holds it now (this caller when `won`)."""


def acquire(table: Any, key: str, owner: str, now: int, ttl_seconds: int) -> Claim:
    """Take `key` for `owner` unless someone else holds it and it has not expired.

    Re-entrant: the owner taking it again (a retried task) succeeds and extends the expiry.
    """
    try:
        table.put_item(
            Item={"pk": key, "owner": owner, "acquired_at": now, "expires_at": now + ttl_seconds},
            ConditionExpression="attribute_not_exists(pk) OR expires_at < :now OR #o = :owner",
            ExpressionAttributeNames={"#o": "owner"},
            ExpressionAttributeValues={":now": now, ":owner": owner},
        )
    except table.meta.client.exceptions.ConditionalCheckFailedException:
        current = table.get_item(Key={"pk": key}, ConsistentRead=True).get("Item", {})
        return Claim(False, str(current.get("owner", "")))
    return Claim(True, owner)


def release(table: Any, key: str, owner: str) -> bool:
    """Drop `key` if `owner` holds it; returns whether it was dropped (False: not ours or gone)."""
    try:
        table.delete_item(
            Key={"pk": key},
            ConditionExpression="#o = :owner",
            ExpressionAttributeNames={"#o": "owner"},
            ExpressionAttributeValues={":owner": owner},
        )
    except table.meta.client.exceptions.ConditionalCheckFailedException:
        return False
    return True


def claim_once(
    table: Any, key: str, attributes: dict[str, Any], now: int, ttl_seconds: int
) -> bool:
    """Write `key` only if it was never written; True for exactly one caller per key."""
    try:
        table.put_item(
            Item={**attributes, "pk": key, "claimed_at": now, "expires_at": now + ttl_seconds},
            ConditionExpression="attribute_not_exists(pk)",
        )
    except table.meta.client.exceptions.ConditionalCheckFailedException:
        return False
    return True


def read(table: Any, key: str) -> dict[str, Any] | None:
    """The item at `key`, read consistently, or None."""
    item: dict[str, Any] | None = table.get_item(Key={"pk": key}, ConsistentRead=True).get("Item")
    return item
