"""The example stack imports the components from the built wheel, with no access to infra/."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "examples" / "team-network"


@pytest.fixture(scope="module")
def wheel_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bare virtualenv with the project's wheel installed and its dependencies borrowed.

    The dependencies (Pulumi, pulumi-aws, ...) come from this test environment through a .pth
    line; the project itself only from the wheel, so nothing of this checkout is importable.
    """
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(
        PROJECT_ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "build", "*.egg-info", "__pycache__", ".*cache"
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(work / "dist"), str(source)],
        check=True,
    )  # fmt: skip
    environment = work / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)
    python = environment / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(site) / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next((work / "dist").glob("mlops_platform-*.whl"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", site,
         str(wheel)],
        check=True,
    )  # fmt: skip
    return python


def run_in(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_the_wheel_ships_the_library_under_one_root_and_not_the_program(
    wheel_python: Path, tmp_path: Path
) -> None:
    probe = (
        "import importlib.util as u, mlops_platform.components as c, mlops_platform.policies.pack,"
        " mlops_platform.lambdas;"
        "print(c.__file__);"
        "print([u.find_spec(name) for name in ('infra', 'components', 'policies', 'lambdas')])"
    )
    result = run_in(wheel_python, "-c", probe, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    components_file, top_level = result.stdout.splitlines()
    assert "site-packages" in components_file
    assert components_file.endswith("mlops_platform/components/__init__.py")
    assert str(PROJECT_ROOT) not in components_file
    # Nothing but `mlops_platform` is added to the importable top-level names.
    assert top_level == "[None, None, None, None]"


def test_the_example_stack_builds_a_network_from_the_installed_library(
    wheel_python: Path, tmp_path: Path
) -> None:
    project = tmp_path / "team-network"
    shutil.copytree(EXAMPLE, project)
    result = run_in(
        wheel_python, "-m", "mlops_platform", "preview", "--stack", "dev", "--out", "plans",
        cwd=project,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    plan = json.loads((project / "plans" / "dev.json").read_text())
    assert plan["project"] == "acme-ml-network"
    resources = {(r["type"], r["name"]) for r in plan["resources"]}
    assert ("mlops:network:Network", "ranking-network") in resources
    subnets = [r for r in plan["resources"] if r["type"] == "aws:ec2/subnet:Subnet"]
    assert {s["props"]["availabilityZone"] for s in subnets} == {"eu-west-1a", "eu-west-1b"}
    assert {s["props"]["tags"]["Owner"] for s in subnets} == {"ranking"}
    assert [r["name"] for r in plan["resources"] if r["protect"]] == []
    assert sum(r["type"] == "aws:ec2/natGateway:NatGateway" for r in plan["resources"]) == 1
