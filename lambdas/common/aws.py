"""Lazily created boto3 clients and resources, cached once per container."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from typing import Any

import boto3

_cache: dict[tuple[str, str], Any] = {}


def client(service: str) -> Any:
    """The boto3 client for `service`, created on first use and then reused."""
    key = ("client", service)
    if key not in _cache:
        # Any service by name: the typed stubs only know literal service names.
        _cache[key] = boto3.session.Session().client(service)  # type: ignore[call-overload]
    return _cache[key]


def table(name: str) -> Any:
    """The boto3 DynamoDB Table resource `name`, created on first use and then reused."""
    key = ("table", name)
    if key not in _cache:
        _cache[key] = boto3.resource("dynamodb").Table(name)
    return _cache[key]


def setting(name: str) -> str:
    """A required environment variable; a clear error when it is missing."""
    value = os.environ.get(name, "")
    if not value:
        raise RuntimeError(
            f"environment variable {name} is not set; the function's config must set it"
        )
    return value


def now_epoch() -> int:
    """Current time, epoch seconds."""
    return int(time.time())


def now_iso() -> str:
    """Current time, ISO 8601 UTC with microseconds (sorts as text)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def reset() -> None:
    """Forget cached clients (tests that switch endpoints call this)."""
    _cache.clear()
