"""`mlops:monitoring`: the serving cluster's retention and alert limits, or every problem named."""

from __future__ import annotations

from typing import Any

import pytest

from infra.config import parse
from mlops_platform.components.observability.monitoring_stack import ClusterMonitoringSpec
from tests.infra.test_config import problems, stack_file


def test_without_the_block_the_defaults_apply() -> None:
    config = parse(stack_file(monitoring=None), region="us-east-1", stack="prod")
    assert config.monitoring == ClusterMonitoringSpec()
    assert (config.monitoring.retention_days, config.monitoring.retention_gb) == (15, 20)


def test_the_block_sets_the_spec() -> None:
    block = {"retentionDays": 30, "retentionGb": 50, "maxErrorRate": 0.02, "maxP95Seconds": 0.4}
    config = parse(stack_file(monitoring=block), region="us-east-1", stack="prod")
    assert config.monitoring == ClusterMonitoringSpec(
        retention_days=30, retention_gb=50, max_error_rate=0.02, max_p95_seconds=0.4
    )


@pytest.mark.parametrize(("block", "expected"), [
    ({"retentionDays": 3},
     ["mlops:monitoring.retentionDays = 3: prod keeps at least 7 days of metrics"]),
    ({"retentionDays": 120},
     ["mlops:monitoring.retentionDays = 120: a whole number of days from 1 to 90"]),
    ({"retentionGb": 0, "maxErrorRate": 1.5},
     ["mlops:monitoring.retentionGb = 0: a whole number of GB from 1 to 200",
      "mlops:monitoring.maxErrorRate = 1.5: a share between 0 and 1, both excluded"]),
    ({"maxP95Seconds": 0}, ["mlops:monitoring.maxP95Seconds = 0: seconds, above 0"]),
])  # fmt: skip
def test_bad_monitoring_keys_are_named(block: dict[str, Any], expected: list[str]) -> None:
    assert sorted(problems(stack_file(monitoring=block))) == sorted(expected)


def test_unknown_monitoring_keys_are_refused() -> None:
    (problem,) = problems(stack_file(monitoring={"retention": "15d"}))
    assert problem.startswith("mlops:monitoring.retention = '15d': ")


def test_dev_may_keep_a_day() -> None:
    config = parse(
        stack_file(environment="dev", monitoring={"retentionDays": 1}),
        region="us-east-1", stack="dev",
    )  # fmt: skip
    assert config.monitoring.retention_days == 1
