"""One moto server on 127.0.0.1 per test module, with both stacks deployed from the real
definitions and handlers, and a ledger fixture of hand-written entries."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from mlops_platform.lambdas.common.release import ReleaseRecord, write_release
from mlops_platform.release import drill as drill_module
from mlops_platform.release.drill import Drill, Timeline

from .test_metrics import LEDGER


@pytest.fixture(scope="module")
def drill() -> Iterator[Drill]:
    """staging and prod on a moto server; prod's ledger holds LEDGER for target `scoring`."""
    with drill_module.moto_server() as url, drill_module.environment(url):
        world = Drill(url, Timeline(io.StringIO()))
        with drill_module.routed(world):
            role = world.world.role()
            world.world.packages(3)
            for env in ("staging", "prod"):
                world.world.stack(env, role)
            _ledger_fixture(world)
            world.approver.thread.start()  # answers only while a test sets `enabled`
            yield world
            world.approver.stopped.set()


def _ledger_fixture(drill: Drill) -> None:
    table = drill.clients.table("mlops-prod-ledger")
    for item in LEDGER:
        if item["env"] == "prod":
            table.put_item(Item=item)
    ssm = drill.clients.client("ssm")
    for target, version in (("scoring", 3), ("fresh", 1)):
        record: dict[str, Any] = {
            "version": version,
            "package_arn": drill.world.package_arn(version),
            "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:1",
            "image_digest": "sha256:" + "01" * 32,
            "model_data_url": "s3://models/m.tar.gz",
            "commit": "c1",
            "endpoint_name": target,
        }
        write_release(ssm, "prod", target, ReleaseRecord.parse(record))
