from __future__ import annotations

import json
from typing import Any

from mlops_platform.policies.kms.no_public_key_policy import POLICY
from tests.policies.harness import check_resource

KEY = "aws:kms/key:Key"
ADMIN = {
    "Sid": "AccountAdministersKey",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
    "Action": "kms:*",
    "Resource": "*",
}


def key(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"policy": json.dumps({"Version": "2012-10-17", "Statement": list(statements)})}


def test_a_policy_naming_the_account_passes() -> None:
    assert check_resource(POLICY, KEY, key(ADMIN)) == []


def test_no_policy_means_aws_default_and_passes() -> None:
    assert check_resource(POLICY, KEY, {}) == []


def test_anyone_may_use_the_key() -> None:
    public = {**ADMIN, "Sid": "Everyone", "Principal": {"AWS": "*"}}
    assert check_resource(POLICY, KEY, key(ADMIN, public)) == [
        "key policy statement 'Everyone' lets any principal use the key; name the principals or "
        "add an account condition"
    ]


def test_anyone_pinned_to_the_account_by_condition_passes() -> None:
    pinned = {
        **ADMIN,
        "Principal": "*",
        "Condition": {"StringEquals": {"kms:CallerAccount": "123456789012"}},
    }
    assert check_resource(POLICY, KEY, key(pinned)) == []


def test_a_policy_that_is_not_json() -> None:
    assert check_resource(POLICY, KEY, {"policy": "{"}) == ["the key policy is not valid JSON"]
