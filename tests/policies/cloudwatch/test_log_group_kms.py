from __future__ import annotations

from mlops_platform.policies.cloudwatch.log_group_kms import POLICY
from tests.policies.harness import check_resource

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


def test_a_key_passes() -> None:
    assert check_resource(POLICY, LOG_GROUP, {"kmsKeyId": "arn:aws:kms:k"}) == []


def test_no_key() -> None:
    assert check_resource(POLICY, LOG_GROUP, {"retentionInDays": 30}) == [
        "log events are encrypted with CloudWatch's own key only; set kms_key_id"
    ]
