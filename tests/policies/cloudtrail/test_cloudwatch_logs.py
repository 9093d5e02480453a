from __future__ import annotations

import pytest

from mlops_platform.policies.cloudtrail.cloudwatch_logs import POLICY
from tests.policies.cloudtrail._fixtures import COMPLIANT, TRAIL
from tests.policies.harness import changed, check_resource, drop_at


def test_delivery_to_cloudwatch_passes() -> None:
    assert check_resource(POLICY, TRAIL, COMPLIANT) == []


@pytest.mark.parametrize("missing", ["cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn"])
def test_delivery_needs_group_and_role(missing: str) -> None:
    assert check_resource(POLICY, TRAIL, changed(COMPLIANT, drop_at(missing))) == [
        "the trail does not deliver to CloudWatch Logs; set cloud_watch_logs_group_arn and "
        "cloud_watch_logs_role_arn"
    ]
