"""Every `mlops release` subcommand against a moto server on 127.0.0.1, through `mlops`."""

from __future__ import annotations

import argparse
import io
import json
import time

import pytest

from mlops_platform import cli
from mlops_platform.release import cli as release_cli
from mlops_platform.release.drill import Drill

GROUP_ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package"
FAST = ("--bake-interval", "0", "--bake-checks", "1", "--poll-seconds", "0", "--poll", "0.1")


def mlops(capsys: pytest.CaptureFixture[str], drill: Drill, *argv: str) -> tuple[int, str, str]:
    """Run `mlops ARGV` against the drill's server; returns exit code, stdout, stderr."""
    capsys.readouterr()
    code = cli.main([*argv, "--endpoint-url", drill.url, "--region", "us-east-1"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def with_live(drill: Drill, *argv: str) -> tuple[int, str]:
    """Run a release subcommand with the drill's clients (simulated live endpoints)."""
    parser = argparse.ArgumentParser()
    release_cli.add_commands(parser.add_subparsers())
    out = io.StringIO()
    code = release_cli.run(parser.parse_args(["release", *argv]), out, drill.clients)
    return code, out.getvalue()


BAD_INPUT = [
    (
        ("release", "status", "--stack", "qa"),
        "mlops release: unknown stack 'qa': no state machine mlops-qa-promotion in us-east-1 "
        "(stacks found: prod, staging)\n",
    ),
    (
        ("release", "history", "--stack", "prod", "--target", "nope"),
        "mlops release: unknown target 'nope' in stack 'prod': no release record "
        "/mlops/prod/release/nope, no ledger entries and no promotion_targets output names it\n",
    ),
    (
        ("release", "at", "--stack", "prod", "--time", "last tuesday"),
        "mlops release: --time 'last tuesday' is not an ISO 8601 time "
        "(e.g. 2026-11-24T14:00:00Z)\n",
    ),
    (
        ("release", "metrics", "--stack", "prod", "--since", "2026-13-01"),
        "mlops release: --since '2026-13-01' is not an ISO 8601 time "
        "(e.g. 2026-11-24T14:00:00Z)\n",
    ),
    (
        ("release", "promote", "--stack", "staging", "--target", "fraud-detector",
         "--package", f"{GROUP_ARN}/churn/3"),
        f"mlops release: --package {GROUP_ARN}/churn/3: a package of model 'churn', but target "
        "'fraud-detector' serves model 'fraud'\n",
    ),
    (
        ("release", "promote", "--stack", "staging", "--target", "fraud-detector",
         "--package", "latest"),
        "mlops release: --package 'latest' is neither a version number nor a model package ARN "
        "(arn:aws:sagemaker:REGION:ACCOUNT:model-package/GROUP/VERSION)\n",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "message"), BAD_INPUT)
def test_bad_input_exits_2_with_the_exact_message(
    capsys: pytest.CaptureFixture[str], drill: Drill, argv: tuple[str, ...], message: str
) -> None:
    assert mlops(capsys, drill, *argv)[::2] == (2, message)


def test_history_of_a_ledger_with_a_failed_promotion(
    capsys: pytest.CaptureFixture[str], drill: Drill
) -> None:
    code, out, _ = mlops(capsys, drill, "release", "history", "--stack", "prod", "--target",
                         "scoring", "--format", "json")  # fmt: skip
    entries = json.loads(out)["entries"]
    assert code == 0
    assert [(e["action"], e["execution"], e["outcome"]) for e in entries][-5:] == [
        ("promote-started", "C", ""),
        ("failed", "D", "lock-held"),
        ("failed", "C", "RollbackFailed"),
        ("promote-started", "E", ""),
        ("promoted", "E", ""),
    ]
    code, out, _ = mlops(capsys, drill, "release", "history", "--stack", "prod", "--target",
                         "scoring", "--since", "2026-11-04")  # fmt: skip
    lines = out.splitlines()
    assert lines[0].split() == [c.upper() for c in release_cli_columns()]
    assert [line.split()[1] for line in lines[1:]] == ["promote-started", "promoted"]


def release_cli_columns() -> tuple[str, ...]:
    from mlops_platform.release.queries import HISTORY_COLUMNS  # noqa: PLC0415

    return HISTORY_COLUMNS


def test_a_target_with_no_history(capsys: pytest.CaptureFixture[str], drill: Drill) -> None:
    assert mlops(capsys, drill, "release", "history", "--stack", "prod", "--target", "fresh")[
        :2
    ] == (0, "no ledger entries for prod/fresh\n")
    code, out, _ = mlops(capsys, drill, "release", "at", "--stack", "prod", "--target", "fresh",
                         "--time", "2026-11-05T00:00:00Z")  # fmt: skip
    assert (code, out) == (0, "nothing served prod/fresh at 2026-11-05T00:00:00.000000Z\n")


@pytest.mark.parametrize(
    ("moment", "version", "approver"),
    [("2026-11-01T10:05:00Z", 1, "alice"), ("2026-11-02T10:20:00+01:00", 1, "alice"),
     ("2026-11-04T12:30:00.000000Z", 3, "carol"), ("2026-11-04T12:29:59", 1, "alice")],
)  # fmt: skip
def test_at_exactly_on_a_boundary(
    capsys: pytest.CaptureFixture[str], drill: Drill, moment: str, version: int, approver: str
) -> None:
    code, out, _ = mlops(capsys, drill, "release", "at", "--stack", "prod", "--time", moment,
                         "--target", "scoring", "--format", "json")  # fmt: skip
    [row] = json.loads(out)["serving"]
    assert (code, row["version"], row["approved_by"]) == (0, version, approver)


def test_metrics_from_the_ledger(capsys: pytest.CaptureFixture[str], drill: Drill) -> None:
    code, out, _ = mlops(capsys, drill, "release", "metrics", "--stack", "prod", "--since",
                         "2026-11-01", "--until", "2026-11-08", "--format", "json")  # fmt: skip
    rows = {r["target"]: r for r in json.loads(out)["metrics"]}
    assert code == 0
    # Lead time of E measured from prod's own first entry of c3: staging's is in another table.
    assert (rows["scoring"]["deployments"], rows["scoring"]["change_failure_rate"]) == (2, 0.5)
    assert rows["scoring"]["restore_times_seconds"] == [1200.0], "no incident claim: from start"
    code, out, _ = mlops(capsys, drill, "release", "metrics", "--stack", "prod", "--since",
                         "2026-11-01", "--until", "2026-11-08")  # fmt: skip
    assert out.splitlines()[0] == (
        "delivery metrics of prod, 2026-11-01T00:00:00.000000Z .. 2026-11-08T00:00:00.000000Z"
    )
    assert out.splitlines()[2].split()[:6] == ["scoring", "2", "0.286", "4", "2", "0.5"]


def _lock(drill: Drill, env: str, owner: str) -> None:
    drill.clients.table(f"mlops-{env}-locks").put_item(
        Item={
            "pk": f"lock#{env}#fraud-detector",
            "owner": owner,
            "acquired_at": 0,
            "expires_at": int(time.time()) + 600,
        }
    )


def _unlock(drill: Drill, env: str) -> None:
    drill.clients.table(f"mlops-{env}-locks").delete_item(Key={"pk": f"lock#{env}#fraud-detector"})


def test_promote_follows_each_step_and_a_repeat_starts_nothing(
    capsys: pytest.CaptureFixture[str], drill: Drill
) -> None:
    argv = ("release", "promote", "--stack", "staging", "--target", "fraud-detector",
            "--package", "2", "--actor", "ci@test", *FAST)  # fmt: skip
    code, out, _ = mlops(capsys, drill, *argv)
    steps = [line.split()[-1] for line in out.splitlines() if line.startswith("  +")]
    assert code == 0
    assert out.splitlines()[-1] == "SUCCEEDED"
    assert steps[:3] == ["Init", "CheckInput", "AcquireLock"]
    assert steps[-1] == "Promoted"
    assert drill.released("staging") == 2
    code, out, _ = mlops(capsys, drill, *argv, "--format", "json")
    assert code == 0
    assert json.loads(out)["status"] == "SUCCEEDED"
    sfn = drill.clients.client("stepfunctions")
    machine = "arn:aws:states:us-east-1:123456789012:stateMachine:mlops-staging-promotion"
    names = [e["name"] for e in sfn.list_executions(stateMachineArn=machine)["executions"]]
    assert len([n for n in names if n.startswith("promote-fraud-detector-v2-")]) == 1


def test_rollback_refused_while_a_promotion_runs_then_forced(
    capsys: pytest.CaptureFixture[str], drill: Drill
) -> None:
    _lock(drill, "prod", "promote-fraud-detector-v3-0000000000")
    argv = ("release", "rollback", "--stack", "prod", "--target", "fraud-detector", "--to", "1",
            "--reason", "test", "--no-approval", *FAST)  # fmt: skip
    code, _, err = mlops(capsys, drill, *argv)
    assert (code, err) == (1, (
        "mlops release: refused: promotion promote-fraud-detector-v3-0000000000 of "
        "prod/fraud-detector is running and holds the target's lock; a rollback now would race "
        "it and lose the lock. Wait for it to end (it rolls back by itself on an alarm), or pass "
        "--force to stop it\n"))  # fmt: skip
    code, with_live_out = with_live(drill, "status", "--stack", "prod", "--endpoint-url", drill.url)
    assert "promote-fraud-detector-v3-0000000000" in with_live_out
    _unlock(drill, "prod")


def test_rollback_needs_a_previous_version_then_restores_it(
    capsys: pytest.CaptureFixture[str], drill: Drill
) -> None:
    # Prod promotions, rollbacks included, wait for a person: the drill's approver answers.
    drill.approver.enabled.set()
    promote = ("release", "promote", "--stack", "prod", "--target", "fraud-detector",
               "--package", "2", *FAST)  # fmt: skip
    assert mlops(capsys, drill, *promote)[0] == 0
    rollback = ("release", "rollback", "--stack", "prod", "--target", "fraud-detector",
                "--reason", "bad", *FAST)  # fmt: skip
    code, out, _ = mlops(capsys, drill, *rollback)
    # v1 was serving before any promotion, so the ledger knows nothing earlier than v2.
    assert code == 1
    assert drill.released("prod") == 2
    _lock(drill, "prod", "promote-gone-0000000000")
    code, out, _ = mlops(capsys, drill, *rollback, "--to", "1", "--force")
    assert code == 0, out
    assert "execution promote-gone-0000000000 no longer exists; released its lock (--force)" in out
    assert drill.released("prod") == 1
    assert drill.world.live.serving_version("prod-fraud-detector") == 1
    drill.approver.enabled.clear()


def test_prod_promotion_without_approval_is_refused_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], drill: Drill
) -> None:
    before, history = drill.released("prod"), len(drill.ledger("prod"))
    promote = ("release", "promote", "--stack", "prod", "--target", "fraud-detector",
               "--package", "3", "--no-approval", *FAST)  # fmt: skip
    code, out, err = mlops(capsys, drill, *promote)
    assert code == 1
    refused = "approval.required = False: env prod promotions need a person's approval"
    assert refused in out + err
    assert (drill.released("prod"), len(drill.ledger("prod"))) == (before, history)


def test_no_wait_returns_once_started(capsys: pytest.CaptureFixture[str], drill: Drill) -> None:
    code, out, _ = mlops(capsys, drill, "release", "promote", "--stack", "staging", "--target",
                         "fraud-detector", "--package", "3", "--no-wait", "--format", "json",
                         *FAST)  # fmt: skip
    started = json.loads(out)
    assert code == 0
    assert started["note"].startswith("started promote of fraud-detector")
    sfn = drill.clients.client("stepfunctions")
    deadline = time.monotonic() + 20
    while sfn.describe_execution(executionArn=started["execution_arn"])["status"] == "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_status_flags_a_live_endpoint_that_differs(
    capsys: pytest.CaptureFixture[str], drill: Drill
) -> None:
    code, out = with_live(drill, "status", "--stack", "staging", "--endpoint-url", drill.url,
                          "--format", "json")  # fmt: skip
    [row] = json.loads(out)["targets"]
    assert (code, row["mismatches"]) == (0, [])
    assert row["live"] == f"staging-fraud-detector-cfg-v{row['released']}"
    live = drill.world.live
    serving = live.endpoints["staging-fraud-detector"]
    other = {**live.configs[serving], "package_arn": drill.world.package_arn(5)}
    live.configs["staging-fraud-detector-cfg-v5"] = other
    live.endpoints["staging-fraud-detector"] = "staging-fraud-detector-cfg-v5"
    code, out = with_live(drill, "status", "--stack", "staging", "--endpoint-url", drill.url)
    live.endpoints["staging-fraud-detector"] = serving
    assert code == 1
    assert out.splitlines()[-1].startswith(
        "MISMATCH fraud-detector: live differs from the release record: variant primary serves "
        "neither"
    )
    # Through the plain command, the endpoint is moto's, where none was ever created.
    code, out, _ = mlops(capsys, drill, "release", "status", "--stack", "staging")
    assert code == 1
    assert "endpoint staging-fraud-detector does not exist" in out
