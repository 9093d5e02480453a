"""docs/policies.md is generated from the pack and must match it."""

from __future__ import annotations

from mlops_platform.policies.catalogue import CATALOGUE, main, render
from mlops_platform.policies.pack import RULES


def test_the_committed_catalogue_is_up_to_date() -> None:
    assert CATALOGUE.read_text(encoding="utf-8") == render(), (
        "docs/policies.md is stale; run `python -m mlops_platform.policies.catalogue`"
    )
    assert main(["--check"]) == 0


def test_the_catalogue_lists_every_rule_with_its_levels() -> None:
    text = render()
    for rule in RULES:
        assert f"### {rule.name}\n" in text
    row = next(
        line for line in text.splitlines() if line.startswith("| [`aws-cloudtrail-trail-present`]")
    )
    assert row.endswith("| mandatory | mandatory | mandatory |")
