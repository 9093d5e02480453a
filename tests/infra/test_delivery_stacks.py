"""The committed stacks' delivery plane as planned: seeded records, the deploy action's input."""

from __future__ import annotations

import json

import pytest

from mlops_platform.lambdas.common.release import ReleaseRecord
from mlops_platform.preview.stack import StackPreview
from mlops_platform.testing import Registry

PARAMETER = "aws:ssm/parameter:Parameter"
STACKS = ("dev", "staging", "prod")


@pytest.fixture(scope="module")
def stacks(committed_previews: dict[str, StackPreview]) -> dict[str, Registry]:
    """Every committed stack, previewed once for the session."""
    return {stack: preview.registry for stack, preview in committed_previews.items()}


@pytest.mark.parametrize("stack", STACKS)
def test_every_seeded_release_record_is_a_whole_release_record(
    stacks: dict[str, Registry], stack: str
) -> None:
    seeds = [
        p for p in stacks[stack].all(PARAMETER)
        if str(p.inputs["name"]).startswith(f"/mlops/{stack}/release/")
    ]  # fmt: skip
    assert [p.inputs["name"] for p in seeds] == [f"/mlops/{stack}/release/fraud-detector.blue"]
    record = ReleaseRecord.parse(json.loads(seeds[0].inputs["insecureValue"]))
    assert record.is_seed
    assert record.image_digest.startswith("sha256:")
    assert len(record.image_digest) == 71
    assert record.commit == "9f2c4e1a7b3d5f60e8c1a2b4d6f8e0a1c3b5d7f9"
