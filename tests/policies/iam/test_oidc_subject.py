from __future__ import annotations

import json
from typing import Any

import pytest

from mlops_platform.components.delivery.access_spec import (
    github_environment_trust,
    github_pull_request_trust,
)
from mlops_platform.policies.iam.oidc_subject import POLICY
from tests.policies.harness import check_resource

ROLE = "aws:iam/role:Role"
HOST = "token.actions.githubusercontent.com"
PROVIDER = f"arn:aws:iam::111111111111:oidc-provider/{HOST}"
EKS_HOST = "oidc.eks.us-east-1.amazonaws.com/id/ABC"
IRSA = {
    "Effect": "Allow",
    "Principal": {"Federated": f"arn:aws:iam::111111111111:oidc-provider/{EKS_HOST}"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {
        "StringEquals": {
            f"{EKS_HOST}:sub": "system:serviceaccount:ml:serve",
            f"{EKS_HOST}:aud": "sts.amazonaws.com",
        }
    },
}


def role(document: dict[str, Any]) -> dict[str, Any]:
    return {"assumeRolePolicy": json.dumps(document)}


def github(condition: dict[str, Any]) -> dict[str, Any]:
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition,
    }
    return role({"Statement": [statement]})


AUD = {f"{HOST}:aud": "sts.amazonaws.com"}


@pytest.mark.parametrize(
    "document",
    [
        github_environment_trust(PROVIDER, "acme/fraud-model", "prod"),
        github_pull_request_trust(PROVIDER, "acme/fraud-model"),
        {"Statement": [IRSA]},
    ],
)
def test_pinned_trusts_pass(document: dict[str, Any]) -> None:
    assert check_resource(POLICY, ROLE, role(document)) == []


def test_no_subject() -> None:
    assert check_resource(POLICY, ROLE, github({"StringEquals": AUD})) == [
        f"trust policy statement 1 lets tokens of {HOST} assume the role without a "
        f"StringEquals condition on {HOST}:sub; pin the exact subject"
    ]


def test_a_wildcard_subject() -> None:
    condition = {"StringEquals": AUD, "StringLike": {f"{HOST}:sub": "repo:acme/*"}}
    assert check_resource(POLICY, ROLE, github(condition)) == [
        f"trust policy statement 1 lets tokens of {HOST} assume the role without a "
        f"StringEquals condition on {HOST}:sub; pin the exact subject",
        f"trust policy statement 1 tests {HOST}:sub with StringLike; use StringEquals",
        f"trust policy statement 1 matches {HOST}:sub with wildcards ['repo:acme/*']; name it "
        "exactly",
    ]


def test_a_wildcard_inside_string_equals_is_still_a_wildcard() -> None:
    condition = {"StringEquals": {**AUD, f"{HOST}:sub": "repo:acme/fraud:*"}}
    assert check_resource(POLICY, ROLE, github(condition)) == [
        f"trust policy statement 1 matches {HOST}:sub with wildcards ['repo:acme/fraud:*']; "
        "name it exactly"
    ]


def test_github_without_the_sts_audience() -> None:
    condition = {"StringEquals": {f"{HOST}:sub": "repo:acme/fraud:pull_request"}}
    assert check_resource(POLICY, ROLE, github(condition)) == [
        f"trust policy statement 1 does not require {HOST}:aud = sts.amazonaws.com"
    ]


def test_a_service_trust_is_left_alone() -> None:
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": "codepipeline.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    assert check_resource(POLICY, ROLE, role({"Statement": [statement]})) == []
