"""The pack discovers its rules: a rule module left out, or two rules with one name, fail here."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from mlops_platform.policies.pack import RULES, rule_modules

POLICIES = Path(__file__).resolve().parents[2] / "policies"


def _defines_policy(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(target, ast.Name) and target.id == "POLICY"
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
        for node in tree.body
    )


def test_every_file_that_defines_a_rule_is_in_the_pack() -> None:
    defining = {
        ".".join(("mlops_platform", "policies", *path.relative_to(POLICIES).with_suffix("").parts))
        for path in POLICIES.glob("*/*.py")
        if _defines_policy(path)
    }
    assert defining == set(rule_modules())
    assert len(RULES) == len(defining)


def test_rule_modules_are_the_public_modules_of_the_service_packages() -> None:
    public = {
        path
        for path in POLICIES.glob("*/*.py")
        if not path.name.startswith("_") and path.parent.name not in {"common"}
    }
    assert len(public) == len(rule_modules())


def test_no_two_rules_share_a_name() -> None:
    assert [name for name, count in Counter(r.name for r in RULES).items() if count > 1] == []
