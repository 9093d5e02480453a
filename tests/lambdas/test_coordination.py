"""Lock, ledger, release record and the alarm watcher on moto."""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest
from boto3.dynamodb.conditions import Key
from moto.dynamodb.models import DynamoDBBackend

from mlops_platform.lambdas.common import lock
from mlops_platform.lambdas.common.events import InvalidEvent
from mlops_platform.lambdas.common.ledger import SERVING_INDEX, served_at
from mlops_platform.lambdas.common.release import (
    ReleaseRecord,
    read_release,
    release_record_name,
    write_release,
)
from mlops_platform.lambdas.ledger import handler as ledger
from mlops_platform.lambdas.lock import handler as lock_handler
from mlops_platform.lambdas.release import handler as release
from mlops_platform.lambdas.rollback_trigger import handler as trigger

from .aws_fixtures import REGION

ENTRY = {
    "env": "prod",
    "target": "fraud",
    "action": "promoted",
    "step": 6,
    "execution_arn": "arn:aws:states:us-east-1:123456789012:execution:promotion:run-1",
    "started_at": "2026-12-01T10:00:00.000Z",
    "version": 5,
}


def table(name: str) -> Any:
    return boto3.resource("dynamodb", region_name=REGION).Table(name)


def test_release_record_name() -> None:
    assert release_record_name("prod", "fraud-detector") == "/mlops/prod/release/fraud-detector"


def test_release_record_round_trips(moto_aws: None) -> None:
    ssm = boto3.client("ssm", region_name=REGION)
    assert read_release(ssm, "dev", "fraud") is None
    record = ReleaseRecord.parse(
        {
            "version": 3,
            "package_arn": "arn:p/3",
            "image": "i:3",
            "image_digest": "sha256:" + "0" * 64,
            "model_data_url": "s3://m/3",
            "commit": "abc",
            "endpoint_name": "fraud",
        }
    )
    write_release(ssm, "dev", "fraud", record)
    assert read_release(ssm, "dev", "fraud") == record


def test_only_one_of_many_concurrent_acquirers_wins(
    moto_aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DynamoDB applies a conditional write atomically; moto's in-memory backend checks and
    # writes in two steps, so threads racing it can both pass. Serialise the backend's write,
    # as DynamoDB does, so what races is our code, not moto's.
    atomic = threading.Lock()
    put_item = DynamoDBBackend.put_item

    def atomic_put_item(self: DynamoDBBackend, *args: Any, **kwargs: Any) -> Any:
        with atomic:
            return put_item(self, *args, **kwargs)

    monkeypatch.setattr(DynamoDBBackend, "put_item", atomic_put_item)
    locks, winners = table("locks"), []
    barrier = threading.Barrier(8)

    def contend(owner: str) -> None:
        barrier.wait()
        if lock.acquire(locks, "lock#prod#fraud", owner, now=1000, ttl_seconds=60).won:
            winners.append(owner)

    threads = [threading.Thread(target=contend, args=(f"run-{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1
    assert lock.acquire(locks, "lock#prod#fraud", winners[0], now=1001, ttl_seconds=60).won, (
        "re-entrant"
    )
    assert not lock.release(locks, "lock#prod#fraud", "someone-else")
    assert lock.acquire(locks, "lock#prod#fraud", "late", now=2000, ttl_seconds=60).won, (
        "expired locks are taken"
    )


def test_lock_handler_names_the_holder(moto_aws: None) -> None:
    event = {"action": "acquire", "env": "prod", "target": "fraud", "owner": "run-1"}
    assert lock_handler.handler(event, None) == {"acquired": True, "owner": "run-1"}
    with pytest.raises(lock.LockHeld, match="prod/fraud is being promoted by execution run-1"):
        lock_handler.handler({**event, "owner": "run-2"}, None)
    assert lock_handler.handler({**event, "action": "release"}, None) == {"released": True}


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"action": "grab"}, "action = 'grab': must be one of acquire, release"),
        (
            {"action": "acquire", "env": "prod", "target": "a b", "owner": "x", "ttl_seconds": 5},
            "target = 'a b': must be 1-63 letters, digits, '-', '_' or '.'; "
            "ttl_seconds = 5: must be an integer of at least 60 and at most 86400",
        ),
    ],
)
def test_lock_events_are_checked(event: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidEvent, match="lock event is invalid") as raised:
        lock_handler.handler(event, None)
    assert message in str(raised.value)


def test_ledger_writes_once_per_step_and_indexes_serving(moto_aws: None) -> None:
    assert ledger.handler(ENTRY, None)["written"] is True
    assert ledger.handler(ENTRY, None)["written"] is False, "a retried step does not duplicate"
    ledger.handler({**ENTRY, "action": "promote-started", "step": 2}, None)
    items = table("ledger").query(KeyConditionExpression=Key("pk").eq("prod#fraud"))["Items"]
    assert len(items) == 2
    serving = table("ledger").query(
        IndexName=SERVING_INDEX, KeyConditionExpression=Key("serving_env").eq("prod")
    )["Items"]
    assert [(i["action"], i["version"]) for i in serving] == [("promoted", 5)]


def test_served_at_picks_the_last_serving_entry_before_the_moment() -> None:
    entries = [
        {"target": "fraud", "version": 4, "recorded_at": "2026-11-01T00:00:00Z"},
        {"target": "fraud", "version": 5, "recorded_at": "2026-11-20T00:00:00Z"},
        {"target": "churn", "version": 2, "recorded_at": "2026-11-25T00:00:00Z"},
    ]
    at = served_at(entries, "2026-11-21T00:00:00Z")
    assert {t: e["version"] for t, e in at.items()} == {"fraud": 5}
    assert served_at(entries, "2026-10-01T00:00:00Z") == {}


def test_ledger_events_are_checked() -> None:
    with pytest.raises(InvalidEvent) as raised:
        ledger.handler({**ENTRY, "action": "deleted", "version": -1}, None)
    assert "action = 'deleted': must be one of" in str(raised.value)
    assert "version = -1: must be an integer of at least 0" in str(raised.value)


def _alarm(tags: list[dict[str, str]]) -> str:
    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    cloudwatch.put_metric_alarm(
        AlarmName="a",
        MetricName="m",
        Namespace="n",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1.0,
        ComparisonOperator="GreaterThanThreshold",
        Tags=tags,
    )
    return str(cloudwatch.describe_alarms(AlarmNames=["a"])["MetricAlarms"][0]["AlarmArn"])


def _event(arn: str, state: str = "ALARM") -> dict[str, Any]:
    return {
        "id": "e1",
        "detail-type": trigger.DETAIL_TYPE,
        "resources": [arn],
        "detail": {"alarmName": "a", "state": {"value": state}},
    }


def test_watcher_ignores_what_is_not_an_incident(moto_aws: None) -> None:
    untagged = _alarm([])
    assert trigger.handler(_event(untagged, "OK"), None)["rollback"] == "ignored"
    assert "has no mlops:env/mlops:target tags" in trigger.handler(_event(untagged), None)["reason"]


def test_watcher_ignores_a_target_with_nothing_released(moto_aws: None) -> None:
    arn = _alarm([{"Key": "mlops:env", "Value": "dev"}, {"Key": "mlops:target", "Value": "fraud"}])
    assert trigger.handler(_event(arn), None) == {
        "rollback": "ignored",
        "reason": "nothing released for dev/fraud",
    }


def test_watcher_rejects_other_events() -> None:
    with pytest.raises(
        InvalidEvent, match="detail-type = 'EC2 Instance State-change Notification'"
    ):
        trigger.handler(
            {**_event("arn"), "detail-type": "EC2 Instance State-change Notification"}, None
        )


def test_writing_the_same_release_again_expects_the_same_configuration(moto_aws: None) -> None:
    record = {
        "version": 3,
        "package_arn": "arn:p/3",
        "image": "i:3",
        "image_digest": "sha256:" + "0" * 64,
        "model_data_url": "s3://m/3",
        "commit": "abc",
        "endpoint_name": "fraud",
    }
    event = {"action": "write", "env": "dev", "target": "fraud", "record": record}
    first = release.handler(event, None)
    assert (first["previous"], first["previous_version"]) == (None, 0)
    again = release.handler(event, None)
    assert (again["previous_version"], again["previous_endpoint_config"]) == (3, "")
    restored = release.handler(
        {"action": "restore", "env": "dev", "target": "fraud", "previous": None}, None
    )
    assert restored["restored_version"] == 0
    assert release.handler({"action": "read", "env": "dev", "target": "fraud"}, None) == {
        "record": None
    }
