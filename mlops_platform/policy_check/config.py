"""A policy pack's config, read and reconciled the way the Pulumi engine does it.

The engine reads `--policy-pack-config` (policy name to an enforcement level, or to an object of
`enforcementLevel` and parameters, with `all` setting every level), fills in each policy's
defaults from the config schema the pack reports, and validates every policy's config against
that schema, `enforcementLevel` included. This module does the same, and is stricter in two
ways the engine is not: a policy name the pack does not have, and a parameter a policy's schema
does not declare, are errors rather than silently ignored, because a typo there would quietly
leave a rule at its default.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

LEVELS = ("advisory", "mandatory", "remediate", "disabled")
"""Enforcement levels a config may name."""


class PolicyConfigError(ValueError):
    """A config file that does not fit the pack; the message is one line."""


@dataclass(frozen=True)
class PolicySchema:
    """What the pack reports about one policy: its default level and its config schema."""

    name: str
    enforcement_level: str
    properties: Mapping[str, Any]
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyConfig:
    """One policy's reconciled config: the level and every parameter, defaults filled in."""

    enforcement_level: str
    properties: Mapping[str, Any]


def read_config(path: Path) -> dict[str, Any]:
    """Read a config file: a JSON object of policy names to levels or objects."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyConfigError(f"{path}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise PolicyConfigError(
            f"{path}: not valid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    if not isinstance(document, dict):
        raise PolicyConfigError(f"{path}: expected a JSON object of policy names")
    return document


def reconcile(
    path: Path, given: Mapping[str, Any], schemas: list[PolicySchema]
) -> dict[str, PolicyConfig]:
    """Every policy's config: schema defaults, then `all`, then the file; validated."""
    problems = _entry_problems(given, {schema.name for schema in schemas})
    everything = _level(given.get("all"))
    if everything not in (None, *LEVELS):
        problems.append(f"all: {everything!r} is not an enforcement level ({', '.join(LEVELS)})")
        everything = None
    result: dict[str, PolicyConfig] = {}
    for schema in schemas:
        entry = given.get(schema.name)
        values = {k: spec["default"] for k, spec in schema.properties.items() if "default" in spec}
        level = everything or schema.enforcement_level
        if isinstance(entry, str):
            level = entry
        elif isinstance(entry, dict):
            level = entry.get("enforcementLevel", level)
            values.update({k: v for k, v in entry.items() if k != "enforcementLevel"})
        problems += _schema_problems(schema, {**values, "enforcementLevel": level})
        result[schema.name] = PolicyConfig(str(level), values)
    if problems:
        raise PolicyConfigError(f"{path}: " + "; ".join(problems))
    return result


def _level(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("enforcementLevel"), str):
        return str(value["enforcementLevel"])
    return None


def _entry_problems(given: Mapping[str, Any], known: set[str]) -> list[str]:
    problems = []
    for name, entry in given.items():
        if name != "all" and name not in known:
            problems.append(f"{name!r} is not a policy of this pack")
        elif not isinstance(entry, str | dict):
            problems.append(f"policy {name!r}: expected an enforcement level or an object")
    return problems


def _schema_problems(schema: PolicySchema, config: dict[str, Any]) -> list[str]:
    document = {
        "type": "object",
        "properties": {
            **schema.properties,
            "enforcementLevel": {"type": "string", "enum": list(LEVELS)},
        },
        "required": list(schema.required),
        "additionalProperties": False,
    }
    validator = jsonschema.Draft7Validator(document)
    problems = []
    for error in sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path)):
        where = ".".join(str(part) for part in error.absolute_path)
        prefix = f"{where}: " if where else ""
        problems.append(f"policy {schema.name!r}: {prefix}{error.message}")
    return problems
