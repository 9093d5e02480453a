from __future__ import annotations

import json
from typing import Any

from mlops_platform.policies.iam.no_admin import POLICY
from tests.policies.harness import check_resource

IAM_POLICY = "aws:iam/policy:Policy"
READ = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::models/*"}


def document(statement: dict[str, Any]) -> dict[str, Any]:
    return {"policy": json.dumps({"Version": "2012-10-17", "Statement": [statement]})}


def test_a_scoped_policy_passes() -> None:
    assert check_resource(POLICY, IAM_POLICY, document(READ)) == []


def test_star_on_star() -> None:
    admin = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    assert check_resource(POLICY, IAM_POLICY, document(admin)) == [
        'the policy statement 1 allows "*" on "*"; grant only the actions needed'
    ]


def test_not_action_on_everything() -> None:
    statement = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    assert check_resource(POLICY, IAM_POLICY, document(statement)) == [
        'the policy statement 1 allows everything but NotAction on "*"; list actions'
    ]


def test_star_actions_on_one_resource_pass() -> None:
    statement = {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::models"}
    assert check_resource(POLICY, IAM_POLICY, document(statement)) == []


def test_attaching_administrator_access() -> None:
    props = {"role": "r", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}
    assert check_resource(POLICY, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", props) == [
        "attaches AdministratorAccess; attach a policy with only the actions needed"
    ]


def test_a_role_with_administrator_access_in_managed_policies() -> None:
    props = {"managedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"]}
    assert check_resource(POLICY, "aws:iam/role:Role", props) == [
        "attaches AdministratorAccess; attach a policy with only the actions needed"
    ]


def test_a_policy_that_is_not_json() -> None:
    assert check_resource(POLICY, IAM_POLICY, {"policy": "nope"}) == [
        "the policy is not valid JSON"
    ]
