from __future__ import annotations

from mlops_platform.policies.sns.topic_kms import POLICY
from tests.policies.harness import check_resource

TOPIC = "aws:sns/topic:Topic"


def test_a_key_passes() -> None:
    assert check_resource(POLICY, TOPIC, {"kmsMasterKeyId": "alias/alerts"}) == []


def test_no_key() -> None:
    assert check_resource(POLICY, TOPIC, {"displayName": "alerts"}) == [
        "messages are stored unencrypted; set kms_master_key_id"
    ]
