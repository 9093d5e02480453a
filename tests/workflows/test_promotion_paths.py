"""The promotion workflow on moto, one test per path, asserting ledger and release record."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from mlops_platform.lambdas.apply.handler import ApplyFailed
from mlops_platform.lambdas.rollback_trigger.handler import DETAIL_TYPE

from .harness import ENV, TARGET, World, release


@pytest.fixture(autouse=True)
def packages(world: World) -> None:
    """Release records of these tests name packages 1 to 6 of the group."""
    world.create_packages(6)


def promotion(version: int, **changes: Any) -> dict[str, Any]:
    """A valid promotion input of `version` with every wait at zero."""
    payload: dict[str, Any] = {
        "env": ENV,
        "target": TARGET,
        "actor": "ci@fraud",
        "release": release(version),
        "approval": {"required": False, "timeout_seconds": 60},
        "bake": {"interval_seconds": 0, "checks": 2, "alarm_names": ["fraud-5xx"]},
        "timing": {"poll_seconds": 0, "max_polls": 5},
        "lock_ttl_seconds": 600,
    }
    payload.update(changes)
    return payload


def test_happy_path_promotes_and_records(world: World) -> None:
    world.alarm()
    world.serve(4)
    run = world.promote(promotion(5))
    assert (run.status, run.error) == ("SUCCEEDED", "")
    assert world.actions() == ["promote-started", "promoted"]
    promoted = world.ledger()[-1]
    assert (promoted["version"], promoted["actor"], promoted["outcome"]) == (
        5,
        "ci@fraud",
        "succeeded",
    )
    assert promoted["image_digest"] == release(5)["image_digest"]
    assert promoted["execution_arn"].endswith(":promote-1")
    assert world.released_version() == 5
    assert world.serving_version() == 5
    assert not world.locked()
    assert any("Promotion succeeded" in m for m in world.messages())
    marked = world.package_metadata(5)
    assert marked["serving:dev"] >= promoted["recorded_at"]
    assert marked["lineage:commit"] == "c0ffee05", "the rest of the metadata is kept"
    assert "serving:dev" not in world.package_metadata(4)


def test_happy_path_polls_the_apply_and_waits_out_updating(world: World) -> None:
    world.serve(4)
    first = [True]

    def still_running(_event: dict[str, Any], result: Any) -> None:
        if first[0] and "build_status" in result:
            first[0] = False
            result.update(build_status="IN_PROGRESS", done=False)

    world.router.after["apply"].append(still_running)
    run = world.promote(promotion(5))
    assert run.status == "SUCCEEDED"
    calls = [n for n, e in world.router.calls if n == "apply" and e["action"] == "status"]
    assert len(calls) == 2
    verifies = [e["attempt"] for n, e in world.router.calls if n == "verify"]
    assert verifies == [0, 1]
    assert [e["check"] for n, e in world.router.calls if n == "bake"] == [0, 1]


def _fire_alarm_at_first_bake(world: World, then: Any = None) -> None:
    fired = [False]

    def fire(_event: dict[str, Any]) -> None:
        if not fired[0]:
            fired[0] = True
            world.cloudwatch.set_alarm_state(
                AlarmName="fraud-5xx", StateValue="ALARM", StateReason="5xx"
            )
            if then is not None:
                then()

    world.router.before.setdefault("bake", []).append(fire)


def test_canary_alarm_during_bake_rolls_back_once(world: World) -> None:
    world.alarm()
    world.serve(4)
    _fire_alarm_at_first_bake(world)
    run = world.promote(promotion(5))
    assert (run.status, run.error) == ("FAILED", "CanaryAlarm")
    assert "alarm fraud-5xx fired during the bake" in run.cause
    assert world.actions() == ["promote-started", "rolled-back"]
    rolled = world.ledger()[-1]
    assert (rolled["version"], rolled["alarm"], rolled["outcome"]) == (
        4,
        "fraud-5xx",
        "CanaryAlarm",
    )
    assert rolled["package_arn"] == release(4)["package_arn"]
    assert world.released_version() == 4
    assert world.serving_version() == 4
    assert not world.locked()
    assert any("Promotion rolled back" in m for m in world.messages())


def test_alarm_on_a_first_release_removes_the_record(world: World) -> None:
    world.alarm()
    _fire_alarm_at_first_bake(world)
    run = world.promote(promotion(1))
    assert (run.status, run.error) == ("FAILED", "CanaryAlarm")
    assert world.actions() == ["promote-started", "rolled-back"]
    assert world.ledger()[-1]["version"] == 0
    assert world.released_version() is None
    assert world.serving_version() is None
    assert [e for n, e in world.router.calls if n == "verify"] == [
        e for n, e in world.router.calls if n == "verify" and e["previous_endpoint_config"] == ""
    ]


def test_silent_rollback_is_detected_and_fails_the_promotion(world: World) -> None:
    world.serve(4)
    world.silent_rollback = True
    run = world.promote(promotion(5))
    assert (run.status, run.error) == ("FAILED", "SilentRollback")
    assert "still serves the previous configuration fraud-detector-cfg-v4" in run.cause
    assert world.actions() == ["promote-started", "silent-rollback", "rolled-back"]
    assert world.ledger()[1]["version"] == 5
    assert world.ledger()[2]["version"] == 4
    assert world.released_version() == 4
    assert world.serving_version() == 4
    assert not world.locked()


def _alarm_event(arn: str, event_id: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "detail-type": DETAIL_TYPE,
        "source": "aws.cloudwatch",
        "resources": [arn],
        "detail": {
            "alarmName": "fraud-5xx",
            "state": {"value": "ALARM"},
            "previousState": {"value": "OK"},
        },
    }


def test_duplicate_and_concurrent_alarm_events_roll_back_once(world: World) -> None:
    arn = world.alarm()
    world.serve(4)
    results: list[Any] = []

    def storm() -> None:
        events = [_alarm_event(arn, "event-1")] * 3 + [
            _alarm_event(arn, f"event-{i}") for i in (2, 3)
        ]
        threads = [
            threading.Thread(
                target=lambda e=e: results.append(
                    world.router.invoke("rollback_trigger", json.dumps(e), {})
                )
            )
            for e in events
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    _fire_alarm_at_first_bake(world, then=storm)
    run = world.promote(promotion(5))
    outcomes = sorted(json.loads(r)["rollback"] for r in results)
    assert outcomes == ["duplicate"] * 4 + ["requested"]
    assert (run.status, run.error) == ("FAILED", "CanaryAlarm")
    assert world.actions().count("rolled-back") == 1
    incident = world.lock_table.get_item(Key={"pk": f"incident#{ENV}#{TARGET}#promote-1"})["Item"]
    assert incident["source"] == "event"
    assert world.released_version() == 4
    again = json.loads(
        world.router.invoke("rollback_trigger", json.dumps(_alarm_event(arn, "late")), {})
    )
    assert again == {"rollback": "unattended", "incident": f"incident#{ENV}#{TARGET}#serving-4"}


def test_two_concurrent_promotions_one_wins(world: World) -> None:
    world.serve(4)
    loser: list[Any] = []

    def second_promotion(_event: dict[str, Any]) -> None:
        if not loser:
            loser.append(world.promote(promotion(6), name="promote-2"))

    world.router.before.setdefault("bake", []).append(second_promotion)
    run = world.promote(promotion(5))
    assert run.status == "SUCCEEDED"
    assert (loser[0].status, loser[0].error) == ("FAILED", "LockHeld")
    assert "is being promoted by execution promote-1" in loser[0].cause
    entries = [
        (e["execution_arn"].rsplit(":", 1)[1], e["action"], e["outcome"]) for e in world.ledger()
    ]
    assert sorted(entries) == sorted(
        [
            ("promote-1", "promote-started", ""),
            ("promote-1", "promoted", "succeeded"),
            ("promote-2", "failed", "lock-held"),
        ]
    )
    assert world.released_version() == 5
    assert not world.locked()


def _approve(world: World, approved: bool, approver: str) -> None:
    for _ in range(500):
        tokens = [m.split("Task token: ", 1)[1] for m in world.messages() if "Task token: " in m]
        if tokens:
            output = json.dumps({"approved": approved, "approver": approver})
            world.sfn.send_task_success(taskToken=tokens[0], output=output)
            return
        threading.Event().wait(0.02)
    raise AssertionError("no approval request was published")


@pytest.mark.parametrize(
    ("approved", "error", "actions"),
    [
        (True, "", ["promote-started", "approved", "promoted"]),
        (False, "ApprovalRejected", ["promote-started", "rejected"]),
    ],
)
def test_human_approval_is_recorded(
    world: World, approved: bool, error: str, actions: list[str]
) -> None:
    world.serve(4)
    payload = promotion(5, approval={"required": True, "timeout_seconds": 30})
    execution = world.start(world.promotion_arn, payload, "promote-1")
    _approve(world, approved, "alice@fraud")
    run = world.wait(execution)
    assert run.error == error
    assert world.actions() == actions
    assert world.ledger()[1]["approval"] == "alice@fraud"
    assert world.released_version() == (5 if approved else 4)
    assert world.serving_version() == (5 if approved else 4)
    assert not world.locked()


def test_approval_timeout_promotes_nothing(world: World) -> None:
    world.serve(4)
    run = world.promote(promotion(5, approval={"required": True, "timeout_seconds": 1}))
    assert (run.status, run.error) == ("FAILED", "ApprovalTimedOut")
    assert world.actions() == ["promote-started", "rejected"]
    assert world.ledger()[1]["outcome"] == "ApprovalTimedOut"
    assert world.released_version() == 4
    assert not any(n == "apply" for n, _ in world.router.calls)
    assert not world.locked()


def test_failed_apply_rolls_back(world: World) -> None:
    world.serve(4)

    def fail_forward_build(event: dict[str, Any]) -> None:
        if event["action"] == "status" and not any(
            e.get("action") == "restore" for _, e in world.router.calls
        ):
            raise ApplyFailed("deploy build b-1 ended FAILED; see its CodeBuild logs")

    world.router.before["apply"] = [fail_forward_build]
    run = world.promote(promotion(5))
    assert (run.status, run.error) == ("FAILED", "ApplyFailed")
    assert world.actions() == ["promote-started", "rolled-back"]
    assert world.released_version() == 4
    assert not world.locked()


@pytest.mark.parametrize(
    ("payload", "fragments"),
    [
        (
            {"env": "dev", "target": TARGET},
            [
                "input.actor = '<missing>': is required",
                "release.version = '<missing>': is required",
                "bake.checks = '<missing>': is required",
            ],
        ),
        (
            {**promotion(5), "release": {**release(5, image_digest="md5:abc"), "version": 0}},
            [
                "release.image_digest = 'md5:abc': must start with 'sha256:'",
                "release.version = 0: must be an integer of at least 1",
            ],
        ),
    ],
)
def test_malformed_input_fails_clearly_and_writes_nothing(
    world: World, payload: Any, fragments: list[str]
) -> None:
    world.serve(4)
    run = world.promote(payload)
    assert (run.status, run.error) == ("FAILED", "InvalidEvent")
    for fragment in fragments:
        assert fragment.replace("input.", "") in run.cause
    assert world.actions() == []
    assert world.released_version() == 4
    assert not world.locked()
    assert [n for n, _ in world.router.calls] == ["intake"]


def test_an_old_incident_does_not_roll_back_a_later_promotion(world: World) -> None:
    world.alarm()
    world.serve(4)
    _fire_alarm_at_first_bake(world)
    assert world.promote(promotion(5)).error == "CanaryAlarm"
    world.cloudwatch.set_alarm_state(AlarmName="fraud-5xx", StateValue="OK", StateReason="fixed")
    world.router.before["bake"] = []
    run = world.promote(promotion(5), name="promote-2")
    assert run.status == "SUCCEEDED"
    assert world.actions() == ["promote-started", "rolled-back", "promote-started", "promoted"]
    assert world.released_version() == 5


def test_prod_without_approval_fails_and_writes_nothing(world: World) -> None:
    world.serve(4)
    payload = promotion(5, env="prod", approval={"required": False, "timeout_seconds": 60})
    run = world.promote(payload)
    assert (run.status, run.error) == ("FAILED", "InvalidEvent")
    assert (
        "approval.required = False: env prod promotions need a person's approval: true (the "
        "workflow asks), or false with the whole pipeline approval that granted it "
        "(pipeline, stage, action, pipeline_execution_id)" in run.cause
    )
    assert [n for n, _ in world.router.calls] == ["intake"]
    assert world.ledger_table.scan()["Items"] == []
    assert world.lock_table.scan()["Items"] == []
    written = world.ssm.get_parameters_by_path(Path="/mlops/prod", Recursive=True)
    assert written["Parameters"] == []
    assert world.released_version() == 4, "the dev record is untouched"
