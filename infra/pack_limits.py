"""The policy pack's mandatory limits per environment, read from the pack itself.

Config validation asks this module, so a stack file the pack would refuse is refused before a
plan exists, with the same limits from one place: `policies/config/<environment>.json`, and
the rule's own default for a parameter the file leaves out.
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
    """The pack's mandatory rules for `environment`: name to parameters, defaults applied."""
    file = (
        Path(mlops_platform.policies.__file__).resolve().parent / "config" / f"{environment}.json"
    )
    if not file.is_file():
        return {}
    # The rules give the defaults of parameters a config leaves out; loaded once, when needed.
    from mlops_platform.policies.pack import RULES  # noqa: PLC0415

    entries: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    found = {}
    for rule in RULES:
        entry = entries.get(rule.name)
        if isinstance(entry, dict) and entry.get("enforcementLevel") == MANDATORY:
            found[rule.name] = dict(rule.info.settings(entry))
    return found


def parameter(environment: str | None, rule: str, name: str) -> Any:
    """A mandatory rule's parameter in `environment`; None when the rule is not mandatory there."""
    if environment is None:
        return None
    return mandatory_rules(environment).get(rule, {}).get(name)


def is_mandatory(environment: str | None, rule: str) -> bool:
    """Whether the pack enforces `rule` as mandatory in `environment`."""
    return environment is not None and rule in mandatory_rules(environment)
