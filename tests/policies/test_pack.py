"""The pack as a whole: names, metadata, and one explicit decision per rule per environment."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mlops_platform.policies.common.rule import ResourceRule, StackRule
from mlops_platform.policies.pack import RULES

CONFIG_DIR = Path(__file__).resolve().parents[2] / "policies" / "config"
NAME = re.compile(r"^(aws|kubernetes)-[a-z0-9]+(-[a-z0-9]+){2,}$")


def test_names_are_unique_and_follow_the_convention() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert [name for name in names if not NAME.match(name)] == []


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_every_rule_has_its_metadata(rule: ResourceRule | StackRule) -> None:
    info = rule.info
    assert info.description.endswith(".")
    assert info.remediation
    assert info.resource_types
    assert rule.severity is not None
    for spec in (info.params or {}).values():
        assert "default" in spec
        assert "description" in spec


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_every_environment_decides_every_rule(environment: str) -> None:
    config = json.loads((CONFIG_DIR / f"{environment}.json").read_text(encoding="utf-8"))
    assert sorted(config) == sorted(rule.name for rule in RULES)
    assert all("enforcementLevel" in entry for entry in config.values())


def test_prod_is_never_laxer_than_dev() -> None:
    rank = {"disabled": 0, "advisory": 1, "mandatory": 2}
    dev = json.loads((CONFIG_DIR / "dev.json").read_text(encoding="utf-8"))
    prod = json.loads((CONFIG_DIR / "prod.json").read_text(encoding="utf-8"))
    laxer = [
        name
        for name in prod
        if rank[prod[name]["enforcementLevel"]] < rank[dev[name]["enforcementLevel"]]
    ]
    assert laxer == []
