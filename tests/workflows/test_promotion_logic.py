"""The promotion definition executed by the pure interpreter: every path, field by field.

The moto tests (test_promotion_paths.py) prove the definition with the real handlers; these
prove the same paths in milliseconds, so the mutation run can afford them for every mutant.
"""

from __future__ import annotations

from typing import Any

import pytest

from mlops_platform.components.workflows.definitions import promotion_definition

from .pure_world import ENV, FUNCTIONS, TARGET, TOPIC, World, promotion_input, release

EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:m:promote-1"


def entry(world: World, action: str) -> dict[str, Any]:
    """The one ledger entry of `action`, as a dict."""
    (found,) = [vars(e) for e in world.ledger if e.action == action]
    return found


def calls(world: World, state: str) -> list[dict[str, Any]]:
    """Events of every call made by `state`."""
    return [event for name, _, event in world.events if name == state]


def test_happy_path_promotes_records_marks_and_unlocks() -> None:
    world = World()
    world.serve(4)
    run = world.run(promotion_input(5))
    assert (run.status, run.error) == ("SUCCEEDED", "")
    assert world.actions() == ["promote-started", "promoted"]
    started = entry(world, "promote-started")
    common = {
        "env": ENV,
        "target": TARGET,
        "actor": "ci@fraud",
        "execution_arn": EXECUTION,
        "started_at": "2026-01-01T00:00:00Z",
        "version": 5,
        "package_arn": release(5)["package_arn"],
        "image_digest": release(5)["image_digest"],
        "commit": "c0ffee05",
    }
    assert started == {
        **common,
        "action": "promote-started",
        "step": 2,
        "recorded_at": started["recorded_at"],
        "outcome": "",
        "approval": "",
        "comment": "",
        "approved_at": "",
        "alarm": "",
        "reason": "",
    }
    promoted = entry(world, "promoted")
    assert {k: promoted[k] for k in (*common, "step", "outcome", "approval", "alarm")} == {
        **common,
        "step": 6,
        "outcome": "succeeded",
        "approval": "",
        "alarm": "",
    }
    assert (world.record, world.serving) == (release(5), 5)
    assert world.marked == [release(5)["package_arn"]]
    assert world.lock_owner is None
    assert [n["Subject"] for n in world.notices] == ["Promotion succeeded"]
    assert world.notices[0]["Message"] == (
        f"Promotion succeeded: {TARGET} in {ENV} by ci@fraud ({EXECUTION})"
    )


def test_happy_path_calls_each_function_with_what_it_needs() -> None:
    world = World()
    world.serve(4)
    world.run(promotion_input(5))
    (intake,) = calls(world, "CheckInput")
    assert set(intake["input"].pop("ctx")) == {
        "written",
        "approval",
        "verify",
        "bake",
        "restored",
        "error",
    }
    assert intake == {"kind": "promotion", "input": promotion_input(5)}
    lock = {"env": ENV, "target": TARGET, "owner": "promote-1", "ttl_seconds": 600}
    assert calls(world, "AcquireLock") == [{**lock, "action": "acquire"}]
    assert calls(world, "UnlockPromoted") == [{**lock, "action": "release"}]
    assert calls(world, "WriteRelease") == [
        {"env": ENV, "target": TARGET, "action": "write", "record": release(5)}
    ]
    assert calls(world, "StartApply") == [
        {"env": ENV, "target": TARGET, "action": "start", "version": 5}
    ]
    assert calls(world, "ApplyStatus") == [{"action": "status", "build_id": "build-1"}]
    assert calls(world, "Verify") == [
        {
            "env": ENV,
            "target": TARGET,
            "previous_endpoint_config": "config-4",
            "attempt": 0,
            "max_attempts": 5,
        }
    ]
    bake = {"env": ENV, "target": TARGET, "owner": "promote-1", "alarm_names": ["fraud-5xx"]}
    assert calls(world, "BakeCheck") == [
        {**bake, "check": 0, "checks": 2},
        {**bake, "check": 1, "checks": 2},
    ]
    assert calls(world, "MarkServing") == [
        {"env": ENV, "target": TARGET, "action": "mark", "package_arn": release(5)["package_arn"]}
    ]


def test_polls_wait_the_input_s_intervals_and_count_attempts() -> None:
    world = World(apply_busy=2, verify_busy=1)
    world.serve(4)
    run = world.run(promotion_input(5))
    assert run.status == "SUCCEEDED"
    assert run.waits == [
        ("ApplyWait", 7),
        ("ApplyWait", 7),
        ("ApplyWait", 7),
        ("VerifyWait", 7),
        ("BakeWait", 3),
        ("BakeWait", 3),
    ]
    assert [e["attempt"] for e in calls(world, "Verify")] == [0, 1]
    assert len(calls(world, "ApplyStatus")) == 3


def test_the_bake_runs_the_checks_the_input_asks_for() -> None:
    world = World()
    world.serve(4)
    run = world.run(
        promotion_input(5, bake={"interval_seconds": 0, "checks": 4, "alarm_names": []})
    )
    assert run.status == "SUCCEEDED"
    assert [e["check"] for e in calls(world, "BakeCheck")] == [0, 1, 2, 3]


@pytest.mark.parametrize("approver", ["alice@fraud"])
def test_human_approval_is_requested_and_recorded(approver: str) -> None:
    world = World(approval={"approved": True, "approver": approver})
    world.serve(4)
    payload = promotion_input(5, approval={"required": True, "timeout_seconds": 61})
    run = world.run(payload)
    assert run.status == "SUCCEEDED"
    assert world.actions() == ["promote-started", "approved", "promoted"]
    assert (entry(world, "approved")["step"], entry(world, "approved")["approval"]) == (3, approver)
    assert entry(world, "promoted")["approval"] == approver
    request = world.notices[0]
    assert request["Subject"] == "Promotion approval"
    assert request["Message"] == (
        f"Approve promotion of {TARGET} version 5 in {ENV} (execution {EXECUTION}). "
        "Send task success with approved and approver. Task token: token-6"
    )
    assert run.timeouts == [("RequestApproval", 61)]
    assert run.trace.index("RequestApproval") < run.trace.index("WriteRelease")


@pytest.mark.parametrize(
    ("answer", "error", "cause"),
    [
        (
            {"approved": False, "approver": "bob@fraud"},
            "ApprovalRejected",
            "the approver rejected the promotion; nothing was deployed",
        ),
        (None, "ApprovalTimedOut", "nobody approved the promotion in time; nothing was deployed"),
    ],
)
def test_no_approval_deploys_nothing_and_records_why(
    answer: dict[str, Any] | None, error: str, cause: str
) -> None:
    world = World(approval=answer)
    world.serve(4)
    run = world.run(promotion_input(5, approval={"required": True, "timeout_seconds": 61}))
    assert (run.status, run.error, run.cause) == ("FAILED", error, cause)
    assert world.actions() == ["promote-started", "rejected"]
    rejected = entry(world, "rejected")
    assert (rejected["step"], rejected["outcome"], rejected["reason"]) == (3, error, cause)
    assert rejected["approval"] == (answer or {}).get("approver", "")
    assert (world.record, world.serving, world.builds) == (release(4), 4, {})
    assert world.lock_owner is None
    assert [n["Subject"] for n in world.notices] == ["Promotion approval", "Promotion failed"]


PIPELINE_APPROVAL = {
    "required": False,
    "timeout_seconds": 61,
    "pipeline": "dev-fraud-cd",
    "stage": "dev",
    "action": "Approve",
    "pipeline_execution_id": "4f0c9b7e-1d2a-4c3b-9e8f-0123456789ab",
}
GRANTED = {"approver": "arn:aws:sts::1:assumed-role/r/alice", "comment": "metrics ok",
           "approved_at": "2026-01-01T00:00:00+00:00"}  # fmt: skip


def test_a_pipeline_approval_is_read_recorded_and_nobody_is_asked_again() -> None:
    world = World(pipeline=GRANTED, approval={"approved": False, "approver": "never asked"})
    world.serve(4)
    run = world.run(promotion_input(5, approval=PIPELINE_APPROVAL))
    assert (run.status, run.error) == ("SUCCEEDED", "")
    assert world.actions() == ["promote-started", "approved", "promoted"]
    approved = entry(world, "approved")
    assert (approved["step"], approved["approval"]) == (3, GRANTED["approver"])
    assert (approved["comment"], approved["approved_at"]) == ("metrics ok", GRANTED["approved_at"])
    assert entry(world, "promoted")["approval"] == GRANTED["approver"]
    reference = {
        k: v for k, v in PIPELINE_APPROVAL.items() if k not in ("required", "timeout_seconds")
    }
    assert calls(world, "PipelineApproval") == [reference]
    assert "RequestApproval" not in run.trace
    assert run.trace.index("PipelineApproval") < run.trace.index("WriteRelease")
    assert [n["Subject"] for n in world.notices] == ["Promotion succeeded"]


def test_a_task_token_approval_records_no_comment() -> None:
    world = World(approval={"approved": True, "approver": "alice@fraud"})
    world.serve(4)
    world.run(promotion_input(5, approval={"required": True, "timeout_seconds": 61}))
    approved = entry(world, "approved")
    assert (approved["approval"], approved["comment"], approved["approved_at"]) == (
        "alice@fraud",
        "",
        "",
    )


@pytest.mark.parametrize(
    ("fault", "error", "actions"),
    [
        (None, "ApprovalNotGranted", ["promote-started", "rejected"]),
        ("AccessDeniedException", "AccessDeniedException", ["promote-started", "failed"]),
    ],
    ids=["not granted", "cannot read"],
)
def test_a_pipeline_approval_not_granted_or_unreadable_deploys_nothing(
    fault: str | None, error: str, actions: list[str]
) -> None:
    world = World(pipeline=None if fault is None else GRANTED)
    world.serve(4)
    if fault is not None:
        world.fail("PipelineApproval", fault)
    run = world.run(promotion_input(5, approval=PIPELINE_APPROVAL))
    assert (run.status, run.error) == ("FAILED", error)
    assert world.actions() == actions
    assert world.ledger[-1].outcome == error
    assert world.ledger[-1].approval == ""
    assert (world.record, world.serving, world.builds, world.marked) == (release(4), 4, {}, [])
    assert world.lock_owner is None
    assert [n["Subject"] for n in world.notices] == ["Promotion failed"]


def test_transient_trouble_reading_the_pipeline_approval_is_retried() -> None:
    world = World(pipeline=GRANTED)
    world.serve(4)
    world.fail("PipelineApproval", "Lambda.TooManyRequestsException")
    run = world.run(promotion_input(5, approval=PIPELINE_APPROVAL), interval_seconds=1)
    assert run.status == "SUCCEEDED"
    assert [r[:2] for r in run.retries] == [("PipelineApproval", "Lambda.TooManyRequestsException")]
    assert len(calls(world, "PipelineApproval")) == 2


def _rolled_back(world: World, outcome: str, version: int) -> dict[str, Any]:
    rolled = entry(world, "rolled-back")
    assert rolled["step"] == 7
    assert rolled["outcome"] == outcome
    assert rolled["version"] == version
    previous = (
        release(version) if version else {"package_arn": "", "image_digest": "", "commit": ""}
    )
    assert (rolled["package_arn"], rolled["image_digest"], rolled["commit"]) == (
        previous["package_arn"],
        previous["image_digest"],
        previous["commit"],
    )
    assert world.lock_owner is None
    assert [n["Subject"] for n in world.notices][-1] == "Promotion rolled back"
    return rolled


def test_an_alarm_in_the_bake_restores_applies_and_verifies_the_previous_version() -> None:
    world = World(alarm_at=1)
    world.serve(4)
    run = world.run(promotion_input(5))
    assert (run.status, run.error) == ("FAILED", "CanaryAlarm")
    assert run.cause == "alarm fraud-5xx fired during the bake; rolled back"
    assert world.actions() == ["promote-started", "rolled-back"]
    rolled = _rolled_back(world, "CanaryAlarm", 4)
    assert (rolled["alarm"], rolled["reason"]) == ("fraud-5xx", run.cause)
    assert (world.record, world.serving) == (release(4), 4)
    order = [
        run.trace.index(s)
        for s in ("RollBack", "RollbackApply", "RollbackVerify", "LedgerRolledBack")
    ]
    assert order == sorted(order)
    assert calls(world, "RollBack") == [
        {"env": ENV, "target": TARGET, "action": "restore", "previous": release(4)}
    ]
    assert calls(world, "RollbackApply") == [
        {"env": ENV, "target": TARGET, "action": "start", "version": 4}
    ]
    assert calls(world, "RollbackApplyStatus") == [{"action": "status", "build_id": "build-2"}]
    assert calls(world, "RollbackVerify") == [
        {
            "env": ENV,
            "target": TARGET,
            "previous_endpoint_config": "",
            "attempt": 0,
            "max_attempts": 5,
        }
    ]


def test_the_rollback_polls_apply_and_verify_with_fresh_attempts() -> None:
    world = World(alarm_at=0, verify_busy=1)
    world.serve(4)
    forward_bake = world._bake

    def bake_then_busy(event: dict[str, Any]) -> Any:
        world.apply_busy, world.verify_busy = 1, 1
        return forward_bake(event)

    world._bake = bake_then_busy  # type: ignore[method-assign]
    run = world.run(promotion_input(5))
    assert run.error == "CanaryAlarm"
    assert [e["attempt"] for e in calls(world, "Verify")] == [0, 1]
    assert [e["attempt"] for e in calls(world, "RollbackVerify")] == [0, 1]
    assert run.waits[-3:] == [
        ("RollbackApplyWait", 7),
        ("RollbackApplyWait", 7),
        ("RollbackVerifyWait", 7),
    ]
    assert len(calls(world, "RollbackApplyStatus")) == 2
    assert (world.record, world.serving) == (release(4), 4)


def test_a_rollback_to_version_1_is_verified_too() -> None:
    world = World(alarm_at=0)
    world.serve(1)
    run = world.run(promotion_input(2))
    assert run.error == "CanaryAlarm"
    assert len(calls(world, "RollbackVerify")) == 1
    _rolled_back(world, "CanaryAlarm", 1)


def test_the_rollback_s_verify_starts_as_fresh_as_the_forward_one() -> None:
    states = promotion_definition(FUNCTIONS, TOPIC)["States"]
    assert states["RollbackVerifyReset"]["Result"] == states["Init"]["Result"]["verify"]
    assert states["RollbackVerifyReset"]["ResultPath"] == "$.ctx.verify"


def test_an_alarm_on_a_first_release_removes_the_record_and_skips_the_verify() -> None:
    world = World(alarm_at=0)
    run = world.run(promotion_input(5))
    assert run.error == "CanaryAlarm"
    _rolled_back(world, "CanaryAlarm", 0)
    assert world.record is None
    assert calls(world, "RollBack")[0]["previous"] is None
    assert calls(world, "RollbackApply")[0]["version"] == 0
    assert "RollbackVerify" not in run.trace


def test_a_silent_rollback_is_recorded_then_rolled_back() -> None:
    world = World(silent=True)
    world.serve(4)
    run = world.run(promotion_input(5))
    assert (run.status, run.error, run.cause) == (
        "FAILED",
        "SilentRollback",
        "still serves config-4",
    )
    assert world.actions() == ["promote-started", "silent-rollback", "rolled-back"]
    silent = entry(world, "silent-rollback")
    assert (silent["step"], silent["outcome"], silent["reason"], silent["version"]) == (
        5,
        "SilentRollback",
        "still serves config-4",
        5,
    )
    rolled = _rolled_back(world, "SilentRollback", 4)
    assert (rolled["alarm"], rolled["reason"]) == ("", "still serves config-4")
    assert (world.record, world.serving) == (release(4), 4)


@pytest.mark.parametrize("state", ["StartApply", "ApplyStatus", "Verify", "BakeCheck"])
def test_a_failure_after_the_release_record_rolls_back(state: str) -> None:
    world = World()
    world.serve(4)
    world.fail(state, "ApplyFailed")
    run = world.run(promotion_input(5))
    assert (run.status, run.error, run.cause) == (
        "FAILED",
        "ApplyFailed",
        f"ApplyFailed in {state}",
    )
    assert world.actions() == ["promote-started", "rolled-back"]
    _rolled_back(world, "ApplyFailed", 4)
    assert (world.record, world.serving) == (release(4), 4)


@pytest.mark.parametrize(
    "state",
    ["RollBack", "RollbackApply", "RollbackApplyStatus", "RollbackVerify"],
)
def test_a_failing_rollback_is_recorded_for_an_operator(state: str) -> None:
    world = World(alarm_at=0)
    world.serve(4)
    world.fail(state, "Boom")
    run = world.run(promotion_input(5))
    cause = f"rollback did not complete, an operator must act: Boom: Boom in {state}"
    assert (run.status, run.error, run.cause) == ("FAILED", "RollbackFailed", cause)
    assert world.actions() == ["promote-started", "failed"]
    failed = entry(world, "failed")
    assert (failed["step"], failed["outcome"], failed["reason"]) == (9, "RollbackFailed", cause)
    assert world.lock_owner is None
    assert [n["Subject"] for n in world.notices] == ["Promotion failed"]


@pytest.mark.parametrize("state", ["LedgerStarted", "WriteRelease", "LedgerApproved"])
def test_a_failure_before_anything_is_deployed_fails_and_unlocks(state: str) -> None:
    world = World(approval={"approved": True, "approver": "alice@fraud"})
    world.serve(4)
    world.fail(state, "Boom")
    run = world.run(promotion_input(5, approval={"required": True, "timeout_seconds": 61}))
    assert (run.status, run.error, run.cause) == ("FAILED", "Boom", f"Boom in {state}")
    failed = entry(world, "failed")
    assert (failed["step"], failed["outcome"], failed["reason"]) == (9, "Boom", f"Boom in {state}")
    assert world.builds == {}
    assert world.lock_owner is None
    assert world.notices[-1]["Subject"] == "Promotion failed"
    assert world.notices[-1]["Message"] == (
        f"Promotion failed: {TARGET} in {ENV} by ci@fraud ({EXECUTION})"
    )


def test_a_held_lock_is_recorded_and_left_to_its_owner() -> None:
    world = World(lock_owner="promote-0")
    world.serve(4)
    run = world.run(promotion_input(5))
    cause = f"{ENV}/{TARGET} is being promoted by promote-0"
    assert (run.status, run.error, run.cause) == ("FAILED", "LockHeld", cause)
    assert world.actions() == ["failed"]
    failed = entry(world, "failed")
    assert (failed["step"], failed["outcome"], failed["reason"]) == (1, "lock-held", cause)
    assert world.lock_owner == "promote-0"
    assert [n["Subject"] for n in world.notices] == ["Promotion not started, target locked"]
    assert not any(name.startswith("Unlock") for name in run.trace)


def test_a_malformed_input_fails_before_anything_is_locked_or_written() -> None:
    world = World()
    payload = promotion_input(5)
    del payload["actor"]
    run = world.run(payload)
    assert (run.status, run.error) == ("FAILED", "InvalidEvent")
    assert "actor" in run.cause
    assert run.trace == ["Init", "CheckInput", "InputRejected"]
    assert (world.ledger, world.lock_owner, world.notices) == ([], None, [])


@pytest.mark.parametrize(
    ("state", "scenario", "status", "error"),
    [
        ("LedgerPromoted", {}, "SUCCEEDED", ""),
        ("MarkServing", {}, "SUCCEEDED", ""),
        ("UnlockPromoted", {}, "SUCCEEDED", ""),
        ("NotifyPromoted", {}, "SUCCEEDED", ""),
        ("LedgerRolledBack", {"alarm_at": 0}, "FAILED", "CanaryAlarm"),
        ("UnlockRolledBack", {"alarm_at": 0}, "FAILED", "CanaryAlarm"),
        ("NotifyRolledBack", {"alarm_at": 0}, "FAILED", "CanaryAlarm"),
        ("LedgerSilentRollback", {"silent": True}, "FAILED", "SilentRollback"),
        (
            "LedgerFailed",
            {"alarm_at": 0, "faults": {"RollBack": ["Gone"]}},
            "FAILED",
            "RollbackFailed",
        ),
        ("UnlockFailed", {"faults": {"WriteRelease": ["Gone"]}}, "FAILED", "Gone"),
        ("NotifyFailed", {"faults": {"WriteRelease": ["Gone"]}}, "FAILED", "Gone"),
        (
            "LedgerNoApproval",
            {"approval": {"approved": False, "approver": "b"}},
            "FAILED",
            "ApprovalRejected",
        ),
        ("LedgerLockHeld", {"lock_owner": "promote-0"}, "FAILED", "LockHeld"),
    ],
)
def test_best_effort_steps_go_on_and_keep_the_error_being_recorded(
    state: str, scenario: dict[str, Any], status: str, error: str
) -> None:
    scenario = dict(scenario)
    faults = scenario.pop("faults", {})
    world = World(**scenario)
    world.serve(4)
    for name, errors in faults.items():
        world.fail(name, *errors)
    world.fail(state, "Boom")
    payload = promotion_input(
        5, approval={"required": "approval" in scenario, "timeout_seconds": 61}
    )
    run = world.run(payload)
    assert (run.status, run.error) == (status, error)
    assert state in run.trace
    assert run.trace[-1] in ("Promoted", "PromotionFailed")
    assert world.lock_owner == (
        "promote-0" if "lock_owner" in scenario else None
    ) or state.startswith("Unlock")
    if state != "LedgerSilentRollback":
        assert all(e.outcome != "Boom" for e in world.ledger)
    else:
        assert entry(world, "rolled-back")["outcome"] == "SilentRollback"


@pytest.mark.parametrize(
    "error",
    [
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
        "Lambda.TooManyRequestsException",
        "Throttled",
    ],
)
def test_transient_errors_are_retried_with_backoff(error: str) -> None:
    world = World()
    world.serve(4)
    world.fail("WriteRelease", error, error, error)
    run = world.run(promotion_input(5))
    assert run.status == "SUCCEEDED"
    assert run.retries == [
        ("WriteRelease", error, 2.0),
        ("WriteRelease", error, 4.0),
        ("WriteRelease", error, 8.0),
    ]


def test_retries_stop_after_the_policy_s_attempts() -> None:
    world = World()
    world.serve(4)
    world.fail("WriteRelease", *["Throttled"] * 3)
    run = world.run(promotion_input(5), interval_seconds=1, max_attempts=2, backoff_rate=3.0)
    assert run.retries == [("WriteRelease", "Throttled", 1.0), ("WriteRelease", "Throttled", 3.0)]
    assert (run.status, run.error) == ("FAILED", "Throttled")
    assert entry(world, "failed")["outcome"] == "Throttled"


@pytest.mark.parametrize("error", ["SNS.ThrottledException", "SNS.InternalErrorException"])
def test_the_approval_request_retries_sns_trouble(error: str) -> None:
    world = World(approval={"approved": True, "approver": "alice@fraud"})
    world.serve(4)
    world.fail("RequestApproval", error)
    run = world.run(promotion_input(5, approval={"required": True, "timeout_seconds": 61}))
    assert run.status == "SUCCEEDED"
    assert run.retries == [("RequestApproval", error, 2.0)]


@pytest.mark.parametrize(
    "error", ["SNS.ThrottledException", "SNS.InternalErrorException", "States.TaskFailed"]
)
def test_notices_retry_sns_trouble(error: str) -> None:
    world = World()
    world.serve(4)
    world.fail("NotifyPromoted", error)
    run = world.run(promotion_input(5))
    assert run.status == "SUCCEEDED"
    assert run.retries == [("NotifyPromoted", error, 2.0)]
    assert [n["Subject"] for n in world.notices] == ["Promotion succeeded"]


def test_a_failed_approval_request_is_recorded_as_a_failure() -> None:
    world = World(approval={"approved": True, "approver": "alice@fraud"})
    world.serve(4)
    world.fail("RequestApproval", "Boom")
    run = world.run(promotion_input(5, approval={"required": True, "timeout_seconds": 61}))
    assert (run.status, run.error) == ("FAILED", "Boom")
    assert world.actions() == ["promote-started", "failed"]
    assert world.builds == {}
