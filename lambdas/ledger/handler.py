"""Append one entry to the ledger; never updates or deletes.

Env: `LEDGER_TABLE`. Event: the fields of `LedgerEntry` (without `recorded_at`).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..common import aws
from ..common.ledger import LedgerEntry


def handler(event: Mapping[str, object], _context: object) -> dict[str, object]:
    """Write the entry if its key is new; a retried write of the same step is a no-op."""
    entry = LedgerEntry.parse(event, aws.now_iso())
    table = aws.table(aws.setting("LEDGER_TABLE"))
    try:
        table.put_item(Item=entry.to_item(), ConditionExpression="attribute_not_exists(pk)")
    except table.meta.client.exceptions.ConditionalCheckFailedException:
        return {"written": False, "sk": entry.key()["sk"]}
    return {"written": True, "sk": entry.key()["sk"]}
