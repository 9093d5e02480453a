"""The policy pack's mandatory limits per environment, read from the pack's own config.

Config validation asks this module, so a stack file the pack would refuse is refused before a
plan exists, with the same limits from one place (`policies/config/<environment>.json`).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import mlops_platform.policies

MANDATORY = "mandatory"


@functools.cache
def mandatory_rules(environment: str) -> dict[str, dict[str, Any]]:
    """The pack's mandatory rules for `environment`, name to parameters; {} for no config."""
    path = Path(mlops_platform.policies.__file__).resolve().parent / "config"
    file = path / f"{environment}.json"
    if not file.is_file():
        return {}
    entries: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    return {
        name: entry
        for name, entry in entries.items()
        if isinstance(entry, dict) and entry.get("enforcementLevel") == MANDATORY
    }


def parameter(environment: str | None, rule: str, name: str) -> Any:
    """A mandatory rule's parameter in `environment`; None when the rule is not mandatory there."""
    if environment is None:
        return None
    return mandatory_rules(environment).get(rule, {}).get(name)
