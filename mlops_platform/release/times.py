"""ISO 8601 times as the ledger writes them (`recorded_at`), so they compare as text."""

from __future__ import annotations

from datetime import UTC, datetime

LEDGER_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
"""The format of `recorded_at`: UTC, microseconds, `Z`."""


class BadTime(ValueError):  # noqa: N818 - reads as the message it carries.
    """A time that is not ISO 8601."""


def parse(text: str, option: str) -> datetime:
    """Parse an ISO 8601 date or time; a time without offset is UTC.

    Raises:
        BadTime: naming the option and the value.
    """
    candidate = text.strip()
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(candidate)
    except ValueError:
        raise BadTime(
            f"{option} {text!r} is not an ISO 8601 time (e.g. 2026-11-24T14:00:00Z)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_ledger(moment: datetime) -> str:
    """Render `moment` as the ledger writes `recorded_at`, so `<=` on text means at or before."""
    return moment.astimezone(UTC).strftime(LEDGER_FORMAT)


def from_ledger(text: str) -> datetime:
    """Read a ledger time (or an execution start date as Step Functions renders it)."""
    return parse(text, "ledger time")
