from __future__ import annotations

import json
from typing import Any

from mlops_platform.policies.iam.role_trust import POLICY
from tests.policies.harness import check_resource

ROLE = "aws:iam/role:Role"
SERVICE = {
    "Effect": "Allow",
    "Principal": {"Service": "sagemaker.amazonaws.com"},
    "Action": "sts:AssumeRole",
    "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
}
PROVIDER = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"
IRSA = {
    "Effect": "Allow",
    "Principal": {"Federated": PROVIDER},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {
        "StringEquals": {
            "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:ml:serve"
        }
    },
}


def role(statement: dict[str, Any]) -> dict[str, Any]:
    return {"assumeRolePolicy": json.dumps({"Statement": [statement]})}


def test_a_service_trust_passes() -> None:
    assert check_resource(POLICY, ROLE, role(SERVICE)) == []


def test_a_web_identity_pinned_to_a_service_account_passes() -> None:
    assert check_resource(POLICY, ROLE, role(IRSA)) == []


def test_anyone_may_assume() -> None:
    statement = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    assert check_resource(POLICY, ROLE, role(statement)) == [
        "trust policy statement 1 lets any principal assume the role; name the principal"
    ]


def test_a_web_identity_without_a_subject() -> None:
    statement = {**IRSA, "Condition": {"StringEquals": {"oidc:aud": "sts.amazonaws.com"}}}
    assert check_resource(POLICY, ROLE, role(statement)) == [
        "trust policy statement 1 lets every identity of its OIDC provider assume the role; add "
        "a StringEquals condition on the provider's :sub claim"
    ]


def test_a_trust_policy_that_is_not_json() -> None:
    assert check_resource(POLICY, ROLE, {"assumeRolePolicy": "["}) == [
        "the trust policy is not valid JSON"
    ]
