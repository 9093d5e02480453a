from __future__ import annotations

import json
from typing import Any

import pytest

from mlops_platform.policies.kms.no_decrypt_all_keys import POLICY
from tests.policies.harness import check_resource

ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
SCOPED = {
    "Sid": "UseModelKey",
    "Effect": "Allow",
    "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
    "Resource": "arn:aws:kms:us-east-1:123456789012:key/abc",
}


def policy(statement: dict[str, Any]) -> dict[str, Any]:
    return {"role": "r", "policy": json.dumps({"Statement": [statement]})}


def test_decrypt_on_a_named_key_passes() -> None:
    assert check_resource(POLICY, ROLE_POLICY, policy(SCOPED)) == []


@pytest.mark.parametrize(
    ("action", "granted"),
    [
        ("kms:Decrypt", "kms:Decrypt"),
        ("kms:*", "kms:Decrypt, kms:ReEncryptFrom"),
        ("kms:Decrypt*", "kms:Decrypt"),
        ("*", "kms:Decrypt, kms:ReEncryptFrom"),
    ],
)
def test_decrypt_on_all_keys(action: str, granted: str) -> None:
    statement = {**SCOPED, "Action": action, "Resource": "*"}
    assert check_resource(POLICY, ROLE_POLICY, policy(statement)) == [
        f"the policy statement 'UseModelKey' allows {granted} on all keys; list the key ARNs in "
        "Resource"
    ]


def test_a_deny_on_all_keys_passes() -> None:
    statement = {**SCOPED, "Effect": "Deny", "Resource": "*"}
    assert check_resource(POLICY, ROLE_POLICY, policy(statement)) == []


def test_role_inline_policies_are_checked() -> None:
    statement = {**SCOPED, "Resource": "*"}
    props = {"inlinePolicies": [{"name": "read", "policy": json.dumps({"Statement": statement})}]}
    assert check_resource(POLICY, "aws:iam/role:Role", props) == [
        "inline policy 'read' statement 'UseModelKey' allows kms:Decrypt on all keys; list the "
        "key ARNs in Resource"
    ]
