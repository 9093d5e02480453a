"""The README's examples run as written."""

from __future__ import annotations

import re

from tests.conftest import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _python_block_after(heading: str) -> str:
    section = README[README.index(heading) :]
    found = re.search(r"```python\n(.*?)```", section, flags=re.S)
    assert found is not None, f"no Python example under {heading!r}"
    return found.group(1)


def test_the_testing_example_passes() -> None:
    namespace: dict[str, object] = {}
    exec(_python_block_after("### Testing your own stacks"), namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert len(tests) == 1
    tests[0]()  # type: ignore[operator]


def test_the_component_examples_run_and_carry_the_tags_the_pack_requires() -> None:
    from mlops_platform.testing import run_program  # noqa: PLC0415 - a heavy import, used here

    section = README[README.index("## Using the components in your own stack") :]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)[:2]
    registry = run_program(lambda: exec("\n".join(blocks), {}))
    required = {"Environment", "Owner", "CostCentre", "ManagedBy", "Project"}
    untagged = [
        r.name
        for r in registry.all("aws:ec2/vpc:Vpc") + registry.all("aws:eks/cluster:Cluster")
        if not required <= set(r.inputs.get("tags", {}))
    ]
    assert untagged == []
    assert registry.one("mlops:eks:ModelService", "fraud-scorer")
