"""The hand-kept list of taggable types matches pulumi-aws and the committed stacks."""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import pytest

from mlops_platform.policies.common.taggable import TAGGABLE_TYPES

PLANS = Path(__file__).resolve().parents[1] / "plans"


def accepts_tags(type_: str) -> bool:
    """Whether pulumi-aws's class for `type_` has a `tags` input."""
    module, kind = type_.split(":")[1].split("/", maxsplit=1)[0], type_.rsplit(":", 1)[-1]
    package = importlib.import_module(f"pulumi_aws.{'lambda_' if module == 'lambda' else module}")
    cls = getattr(package, kind)
    return "tags" in inspect.signature(cls._internal_init).parameters


@pytest.mark.parametrize("type_", sorted(TAGGABLE_TYPES))
def test_every_listed_type_accepts_tags(type_: str) -> None:
    assert accepts_tags(type_)


def test_every_taggable_type_of_the_committed_stacks_is_listed(
    committed_plans: dict[str, dict],
) -> None:
    used = {
        r["type"] for plan in committed_plans.values() for r in plan["resources"] if r["custom"]
    }
    taggable = {t for t in used if t.startswith("aws:") and accepts_tags(t)}
    assert taggable - TAGGABLE_TYPES == set()
    assert json.dumps(sorted(taggable))  # the stacks do create taggable resources
    assert taggable
