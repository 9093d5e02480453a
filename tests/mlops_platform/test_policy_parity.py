"""The check in this process finds exactly what the pack's Analyzer service finds.

On every committed plan, and on a plan of prod turned into a violation of nearly every rule
(tags dropped, every switch flipped, every number zeroed, values unknown during preview).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from mlops_platform.policy_check import check as policy_check
from mlops_platform.policy_check.in_process import wire_value
from tests.mlops_platform.plans import PROJECT

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def both_paths(plan: Path, config: Path | None = None) -> tuple[list[Any], list[Any]]:
    pack = policy_check.default_pack_dir()
    here = policy_check.check_plan(plan, pack, config)
    served = policy_check.check_plan(plan, pack, config, via_analyzer=True)
    return here, served


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_every_committed_plan(committed_plan_paths: dict[str, Path], stack: str) -> None:
    here, served = both_paths(committed_plan_paths[stack])
    assert here == served
    # dev has its ALL_AT_ONCE advisory; staging and prod pass every rule (each keeps a trail),
    # and the spoiled plans below prove that both paths agree on findings.
    assert bool(here) == (stack == "dev")


def spoiled(value: Any) -> Any:
    """Every switch flipped, every number zeroed, every tag map dropped."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return 0
    if isinstance(value, list):
        return [spoiled(item) for item in value]
    if isinstance(value, dict):
        return {k: spoiled(v) for k, v in value.items() if k not in ("tags", "tagsAll")}
    return value


def test_a_plan_that_breaks_nearly_every_rule(
    committed_plans: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    plan = json.loads(json.dumps(committed_plans["prod"]))
    for index, resource in enumerate(plan["resources"]):
        resource["props"] = spoiled(resource["props"])
        resource["protect"] = not resource["protect"]
        if index % 5 == 0 and resource["props"]:
            resource["props"][sorted(resource["props"])[0]] = UNKNOWN
    path = tmp_path / "prod.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    config = tmp_path / "all-mandatory.json"
    config.write_text(json.dumps({"all": "mandatory"}), encoding="utf-8")
    here, served = both_paths(path, config)
    assert here == served
    policies = Counter(v.policy for v in here)
    assert len(policies) >= 15, policies
    assert any("can't be known during preview" in v.message for v in here)
    assert plan["project"] == PROJECT


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (
            {"a": 22, "b": [1, True, None, "x"], "c": 1.5},
            {"a": 22.0, "b": [1.0, True, None, "x"], "c": 1.5},
        ),
        ((1, 2), [1.0, 2.0]),
        (False, False),
    ],
)
def test_values_take_the_form_a_protobuf_struct_gives_them(value: Any, wire: Any) -> None:
    assert repr(wire_value(value)) == repr(wire)  # 22.0, not 22: the types count


def test_a_value_a_struct_cannot_carry_is_refused() -> None:
    with pytest.raises(TypeError, match="set cannot travel in a protobuf Struct"):
        wire_value({"a": {1, 2}})
