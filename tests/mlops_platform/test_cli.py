"""`mlops preview` end to end: plans, summary, determinism, and refusals with clear messages."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_platform.cli import main
from tests.conftest import PROJECT_ROOT


def preview(*args: str) -> int:
    return main(["preview", "--project-dir", str(PROJECT_ROOT), *args])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project that runs the real program, with a stack file the test writes."""
    (tmp_path / "Pulumi.yaml").write_text(
        f"name: mlops-platform\nruntime: python\nmain: {PROJECT_ROOT / 'infra'}\n"
    )
    return tmp_path


def test_preview_all_writes_a_plan_per_stack_and_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert preview("--stack", "all", "--out", str(tmp_path)) == 0
    plans = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert plans == [
        "dev-serving.json", "dev.json", "prod-serving.json", "prod.json",
        "staging-serving.json", "staging.json",
    ]  # fmt: skip
    prod = json.loads((tmp_path / "prod.json").read_text())
    assert (prod["version"], prod["project"], prod["stack"]) == (1, "mlops-platform", "prod")
    types = [r["type"] for r in prod["resources"]]
    assert types.count("aws:ec2/natGateway:NatGateway") == 3
    out, err = capsys.readouterr()
    assert "prod: running the program under the mock runtime" in err
    summary = out[out.index("prod:") :]
    assert f"prod: {len(types) - 1} resources in" in summary
    assert "mlops:network:Network  prod-network" in summary
    assert "aws:ec2/natGateway:NatGateway" in summary


def test_plan_resources_have_the_documented_keys(tmp_path: Path) -> None:
    assert preview("--stack", "dev", "--out", str(tmp_path)) == 0
    resources = json.loads((tmp_path / "dev.json").read_text())["resources"]
    assert {tuple(sorted(r)) for r in resources} == {
        (
            "custom", "dependencies", "ignoreChanges", "name", "parent", "propertyDependencies",
            "props", "protect", "provider", "retainOnDelete", "type", "urn",
        )
    }  # fmt: skip
    assert [r["urn"] for r in resources] == sorted(r["urn"] for r in resources)


def test_two_previews_write_identical_files(tmp_path: Path) -> None:
    assert preview("--stack", "prod", "--out", str(tmp_path / "a")) == 0
    assert preview("--stack", "prod", "--out", str(tmp_path / "b")) == 0
    first = (tmp_path / "a" / "prod.json").read_bytes()
    assert first == (tmp_path / "b" / "prod.json").read_bytes()


def test_invalid_config_exits_2_with_every_problem_and_leaves_no_plan(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "Pulumi.bad.yaml").write_text(
        "config:\n  aws:region: us-east-1\n  mlops:environment: prod\n  mlops:owner: me\n"
        "  mlops:costCentre: cc\n  mlops:protectData: false\n"
        "  mlops:network: {vpcCidr: 10.0.0.0/16, azCount: 9}\n"
    )
    out = tmp_path / "plans"
    out.mkdir()
    (out / "bad.json").write_text("an earlier plan")
    code = main(["preview", "--project-dir", str(project), "--stack", "bad", "--out", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert "bad: no plan written\nStack config of 'bad' is invalid (5 problems):" in err
    assert "mlops:protectData = False: prod must protect its data" in err
    assert "mlops:network.azCount = 9: a whole number from 1 to 6" in err
    assert "Traceback" not in err
    assert not (out / "bad.json").exists()


def test_one_bad_stack_does_not_stop_the_others(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(PROJECT_ROOT / "Pulumi.dev.yaml", project / "Pulumi.dev.yaml")
    (project / "Pulumi.empty.yaml").write_text("config: {}\n")
    code = main(["preview", "--project-dir", str(project), "--out", str(tmp_path)])
    assert code == 2
    assert (tmp_path / "dev.json").exists()
    assert not (tmp_path / "empty.json").exists()
    assert "empty: no plan written" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("files", "stack", "message"),
    [
        ({}, "dev", "no such file"),
        ({"Pulumi.yaml": "name: [unclosed\n"}, "dev", "not valid YAML at line 2"),
        ({"Pulumi.yaml": "name: x\nruntime: nodejs\n"}, "dev",
         "runtime is 'nodejs'; only python programs can be previewed"),
        ({"Pulumi.yaml": "name: x\nruntime: python\n", "Pulumi.dev.yaml": "config: {}\n"}, "qa",
         "unknown stack 'qa'; stacks with a stack file: dev"),
    ],
)  # fmt: skip
def test_unusable_project_files_exit_2_with_one_clear_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    stack: str,
    message: str,
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    code = main(["preview", "--project-dir", str(tmp_path), "--stack", stack,
                 "--out", str(tmp_path / "out")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("mlops: ")
    assert message in err
    assert not (tmp_path / "out").exists()


def test_the_installed_command_runs(tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "mlops"
    result = subprocess.run(
        [str(command), "preview", "--stack", "dev", "--out", str(tmp_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("dev: ")
    assert (tmp_path / "dev.json").is_file()


def test_secure_values_stay_secret_in_the_plan(project: Path, tmp_path: Path) -> None:
    stack_file = (PROJECT_ROOT / "Pulumi.prod.yaml").read_text()
    (project / "Pulumi.sealed.yaml").write_text(
        stack_file.replace(
            "    roleName: mlops-deployer\n",
            "    roleName: mlops-deployer\n    externalId:\n      secure: v1:c2VhbGVk\n",
            1,
        )
    )
    code = main(["preview", "--project-dir", str(project), "--stack", "sealed",
                 "--out", str(tmp_path), "--no-policy"])  # fmt: skip
    assert code == 0
    text = (tmp_path / "sealed.json").read_text()
    provider = next(r for r in json.loads(text)["resources"] if r["type"] == "pulumi:providers:aws")
    assert provider["props"]["assumeRoles"] == "[secret]"
    assert "offline-secret-placeholder" not in text
    assert "c2VhbGVk" not in text


def test_the_installed_command_exits_with_the_code_and_flushes_what_it_said() -> None:
    command = Path(sys.executable).parent / "mlops"
    result = subprocess.run(
        [str(command), "preview", "--stack", "nope", "--project-dir", str(PROJECT_ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "mlops: unknown stack 'nope'; stacks with a stack file: dev, prod, staging\n"
    )


@pytest.mark.parametrize(
    ("stack_file", "stack", "message"),
    [
        ("config:\n  - a\n", "dev", "`config` must be a mapping of keys to values"),
        ("- a\n", "dev", "expected a mapping at the top, found list"),
        ("config:\n\tmlops:owner: x\n", "dev", "not valid YAML at line 2"),
        ("config:\n  mlops:owner: a\n  mlops:owner: b\n", "dev",
         "key 'mlops:owner' is given twice, at lines 2 and 3; YAML would keep only the last: "
         "remove one"),
        ("config:\n  mlops:tags:\n    2024: x\n", "dev",
         'line 3: key 2024 is a number, not text; quote it ("2024")'),
    ],
)  # fmt: skip
def test_an_unreadable_stack_file_removes_its_plan_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], stack_file: str, stack: str, message: str
) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: x\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text(stack_file)
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{stack}.json").write_text("{}")
    code = main(["preview", "--project-dir", str(tmp_path), "--stack", stack, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"{stack}: no plan written\n")
    assert message in err
    assert not (out / f"{stack}.json").exists()


def test_with_all_stacks_one_unreadable_file_is_reported_and_the_others_preview(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(PROJECT_ROOT / "Pulumi.dev.yaml", project / "Pulumi.dev.yaml")
    (project / "Pulumi.broken.yaml").write_text("config:\n  mlops:owner: a\n  mlops:owner: b\n")
    out = tmp_path / "out"
    code = main(["preview", "--project-dir", str(project), "--out", str(out), "--no-policy"])
    err = capsys.readouterr().err
    assert code == 2
    assert "broken: no plan written" in err
    assert "key 'mlops:owner' is given twice, at lines 2 and 3" in err
    assert (out / "dev.json").is_file()
    assert not (out / "broken.json").exists()


def test_a_stack_the_pack_has_no_config_for_is_checked_against_its_environments(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (PROJECT_ROOT / "Pulumi.dev.yaml").read_text()
    (project / "Pulumi.sandbox.yaml").write_text(text)
    out = tmp_path / "out"
    code = main(["preview", "--project-dir", str(project), "--stack", "sandbox", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "sandbox.json: 0 mandatory" in err
