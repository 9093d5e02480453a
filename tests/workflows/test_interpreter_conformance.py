"""The pure interpreter agrees with moto's engine on the paths the mutation tests rely on.

Each case runs the same stored definition twice: on moto with the real handlers (harness.py)
and on the pure interpreter with the in-memory stand-ins (pure_world.py, pure_training.py),
each world arranged to model the same situation. Both must enter the same states in the same
order, attempt the same tasks, end with the same status and error, and leave the same ledger.
Marked `conformance`: it runs in `make test`, not per mutant.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest

from mlops_platform.lambdas.lock import handler as lock_handler

from ..lambdas.aws_fixtures import REGION
from .conformance import Outcome, moto_outcome, pure_outcome
from .harness import ENV, TARGET, World
from .pure_training import Trainer
from .pure_world import World as PureWorld
from .test_promotion_paths import promotion
from .test_training_paths import CHAMPION, evaluation, serve_champion, training

pytestmark = pytest.mark.conformance


class Throttled(Exception):  # noqa: N818 - the name is what the Retry matches on.
    """A transient error by the name the definitions retry."""


class Mirror(PureWorld):
    """The pure promotion world, busy once after each deploy as the moto harness's endpoint is
    (FakeSageMaker reports `Updating` on the first look after a deploy)."""

    def _apply(self, event: dict[str, Any]) -> Any:
        result = super()._apply(event)
        restoring = any(e.get("action") == "restore" for _, _, e in self.events)
        if result.get("done") and self.record is not None and not (self.silent and not restoring):
            self.verify_busy = 1
        return result


@dataclass(frozen=True)
class Case:
    """One situation, arranged in both worlds."""

    name: str
    payload: dict[str, Any]
    moto: Callable[[World], None] = lambda _world: None
    """Arranges the moto world before the execution starts."""
    pure: dict[str, Any] = field(default_factory=dict)
    """Fields of the pure stand-in."""
    faults: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Errors the pure stand-in raises, by state."""
    answer: bool | None = None
    """The approver's answer sent on moto (None: nobody answers)."""


def _fire_alarm(world: World) -> None:
    world.alarm()
    fired: list[bool] = []

    def fire(_event: dict[str, Any]) -> None:
        if not fired:
            fired.append(True)
            world.cloudwatch.set_alarm_state(
                AlarmName="fraud-5xx", StateValue="ALARM", StateReason="5xx"
            )

    world.router.before.setdefault("bake", []).append(fire)


def _silent(world: World) -> None:
    world.silent_rollback = True


def _held_by(owner: str, target: str) -> Callable[[World], None]:
    def hold(_world: World) -> None:
        event = {"action": "acquire", "env": ENV, "target": target, "owner": owner}
        lock_handler.handler({**event, "ttl_seconds": 600}, None)

    return hold


def _throttle_once(function: str, action: str) -> Callable[[World], None]:
    def arrange(world: World) -> None:
        thrown: list[bool] = []

        def throttle(event: dict[str, Any]) -> None:
            if event.get("action") == action and not thrown:
                thrown.append(True)
                raise Throttled("slow down")

        world.router.before.setdefault(function, []).append(throttle)

    return arrange


def _evaluated(metrics: dict[str, float], fail_job: bool = False) -> Callable[[World], None]:
    return lambda world: evaluation(world, metrics, fail_job)


def _both(*arrangers: Callable[[World], None]) -> Callable[[World], None]:
    def arrange(world: World) -> None:
        for arranger in arrangers:
            arranger(world)

    return arrange


def _without(payload: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k != key}


APPROVAL = {"required": True, "timeout_seconds": 30}
PROMOTIONS = [
    Case("happy path", promotion(5)),
    Case("canary alarm rolls back", promotion(5), _fire_alarm, {"alarm_at": 0}),
    Case("silent rollback", promotion(5), _silent, {"silent": True}),
    Case(
        "approval granted",
        promotion(5, approval=APPROVAL),
        pure={"approval": {"approved": True, "approver": "alice@fraud"}},
        answer=True,
    ),
    Case(
        "approval rejected",
        promotion(5, approval=APPROVAL),
        pure={"approval": {"approved": False, "approver": "alice@fraud"}},
        answer=False,
    ),
    Case("approval timed out", promotion(5, approval={"required": True, "timeout_seconds": 1})),
    Case("lock held", promotion(5), _held_by("promote-0", TARGET), {"lock_owner": "promote-0"}),
    Case("malformed input", _without(promotion(5), "actor")),
    Case(
        "transient error retried",
        promotion(5),
        _throttle_once("release", "write"),
        faults={"WriteRelease": ("Throttled",)},
    ),
]


def _approve(world: World, approved: bool) -> None:
    for _ in range(500):
        tokens = [m.split("Task token: ", 1)[1] for m in world.messages() if "Task token: " in m]
        if tokens:
            output = json.dumps({"approved": approved, "approver": "alice@fraud"})
            world.sfn.send_task_success(taskToken=tokens[0], output=output)
            return
        threading.Event().wait(0.02)
    raise AssertionError("no approval request was published")


@pytest.mark.parametrize("case", PROMOTIONS, ids=[c.name for c in PROMOTIONS])
def test_a_promotion_runs_alike_on_both_engines(world: World, case: Case) -> None:
    world.create_packages(6)
    world.serve(4)
    case.moto(world)
    execution = world.start(world.promotion_arn, case.payload, "promote-1")
    if case.answer is not None:
        _approve(world, case.answer)
    on_moto = moto_outcome(world, execution, TARGET)
    stand_in = Mirror(**case.pure)
    stand_in.serve(4)
    for state, errors in case.faults.items():
        stand_in.fail(state, *errors)
    on_pure = pure_outcome(world, world.promotion_arn, stand_in, case.payload, "promote-1")
    _agree(on_moto, on_pure)


TRAININGS = [
    Case(
        "better challenger registered",
        training(),
        _evaluated({"auc": 0.93, "latency_ms": 20.5}),
        {"metrics": {"auc": 0.93, "latency_ms": 20.5}},
    ),
    Case(
        "worse challenger rejected",
        training(),
        _evaluated({"auc": 0.905, "latency_ms": 20.0}),
        {"metrics": {"auc": 0.905, "latency_ms": 20.0}},
    ),
    Case(
        "training job fails",
        training(),
        _evaluated({"auc": 0.99}, fail_job=True),
        faults={"TrainStatus": ("TrainingFailed",)},
    ),
    Case(
        "data with the wrong schema",
        training(expected_columns=["amount", "label"]),
        faults={"ValidateData": ("DataInvalid",)},
    ),
    Case(
        "lock held",
        training(),
        _held_by("train-0", f"{TARGET}.training"),
        {"lock_owner": "train-0"},
    ),
    Case("malformed input", training(data_uri="/local/file.csv")),
    Case(
        "transient error retried",
        training(),
        _both(
            _evaluated({"auc": 0.93, "latency_ms": 20.5}), _throttle_once("training", "register")
        ),
        {"metrics": {"auc": 0.93, "latency_ms": 20.5}},
        faults={"Register": ("Throttled",)},
    ),
]


@pytest.mark.parametrize("case", TRAININGS, ids=[c.name for c in TRAININGS])
def test_a_training_runs_alike_on_both_engines(world: World, case: Case) -> None:
    world.live.use_moto = True
    s3 = boto3.client("s3", region_name=REGION)
    for bucket in ("data", "models"):
        s3.create_bucket(Bucket=bucket)
    s3.put_object(
        Bucket="data", Key="fraud/train.csv", Body=b"amount,merchant,label\n1.0,a,0\n2.5,b,1\n"
    )
    boto3.client("sagemaker", region_name=REGION).create_model_package_group(
        ModelPackageGroupName="fraud"
    )
    serve_champion(CHAMPION)
    case.moto(world)
    execution = world.start(world.training_arn, case.payload, "train-1")
    on_moto = moto_outcome(world, execution, f"{TARGET}")
    stand_in = Trainer(champion=dict(CHAMPION), **case.pure)
    for state, errors in case.faults.items():
        stand_in.fail(state, *errors)
    on_pure = pure_outcome(world, world.training_arn, stand_in, case.payload, "train-1")
    _agree(on_moto, on_pure)


def _agree(on_moto: Outcome, on_pure: Outcome) -> None:
    """Field by field, so a difference names what differs."""
    assert on_pure.states == on_moto.states
    assert on_pure.attempts == on_moto.attempts
    assert (on_pure.status, on_pure.error) == (on_moto.status, on_moto.error)
    assert on_pure.ledger == on_moto.ledger
