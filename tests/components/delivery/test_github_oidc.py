"""GithubOidc: the provider once per account, exact trust per environment, a read-only PR role."""

from __future__ import annotations

from collections import Counter

import pytest

from mlops_platform.components.core import ArgsError
from mlops_platform.components.delivery import GithubOidc, GithubOidcArgs
from mlops_platform.testing import Registry
from tests.conftest import RunProgram, policy, statement

DEPLOYER = "arn:aws:iam::123456789012:role/mlops-deployer"
HOST = "token.actions.githubusercontent.com"


def oidc(run: RunProgram, **overrides: object) -> Registry:
    values: dict[str, object] = {
        "repository": "acme/mlops-platform",
        "environments": ["staging", "prod"],
        "assumable_role_arns": [DEPLOYER],
        **overrides,
    }
    return run(lambda: GithubOidc("ci", GithubOidcArgs(**values)))  # type: ignore[arg-type]


def trust(registry: Registry, name: str) -> dict[str, object]:
    [only] = policy(registry.one("aws:iam/role:Role", name), "assumeRolePolicy")["Statement"]
    return only


def test_a_provider_a_role_per_environment_and_a_read_only_pull_request_role(
    run: RunProgram,
) -> None:
    registry = oidc(run)
    children = registry.children_of(registry.one("mlops:delivery:GithubOidc", "ci"))
    assert Counter(c.name for c in children) == {
        "ci-provider": 1, "ci-staging": 1, "ci-staging-deploy": 1, "ci-prod": 1,
        "ci-prod-deploy": 1, "ci-pull-request": 1, "ci-pull-request-read-only": 1,
    }  # fmt: skip
    provider = registry.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert provider.inputs["url"] == f"https://{HOST}"
    assert provider.inputs["clientIdLists"] == ["sts.amazonaws.com"]
    attachment = registry.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs
    assert attachment["policyArn"] == "arn:aws:iam::aws:policy/ReadOnlyAccess"


@pytest.mark.parametrize(
    ("role", "subject"),
    [
        ("ci-prod", "repo:acme/mlops-platform:environment:prod"),
        ("ci-staging", "repo:acme/mlops-platform:environment:staging"),
        ("ci-pull-request", "repo:acme/mlops-platform:pull_request"),
    ],
)
def test_each_trust_pins_audience_and_subject_exactly(
    run: RunProgram, role: str, subject: str
) -> None:
    registry = oidc(run)
    found = trust(registry, role)
    provider = registry.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").state["arn"]
    assert found["Principal"] == {"Federated": provider}
    assert found["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert found["Condition"] == {
        "StringEquals": {f"{HOST}:aud": "sts.amazonaws.com", f"{HOST}:sub": subject}
    }


def test_an_environment_role_may_only_assume_the_stack_role(run: RunProgram) -> None:
    registry = oidc(run)
    document = policy(registry.one("aws:iam/rolePolicy:RolePolicy", "ci-prod-deploy"))
    assert statement(document, "AssumeStackRole")["Resource"] == [DEPLOYER]
    assert statement(document, "AssumeStackRole")["Action"] == "sts:AssumeRole"


def test_an_existing_provider_is_reused_and_the_pr_role_can_be_left_out(run: RunProgram) -> None:
    given = f"arn:aws:iam::123456789012:oidc-provider/{HOST}"
    registry = oidc(run, provider_arn=given, pull_request_role=False, environments=["dev"])
    assert registry.all("aws:iam/openIdConnectProvider:OpenIdConnectProvider") == []
    assert [r.name for r in registry.all("aws:iam/role:Role")] == ["ci-dev"]
    assert trust(registry, "ci-dev")["Principal"] == {"Federated": given}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"repository": "acme/*"},
            [
                "repository = 'acme/*': must be owner/name, e.g. acme/fraud-model (letters, "
                "digits, -_.)"
            ],
        ),
        (
            {"environments": ["prod*", "prod*"]},
            [
                "environments[0] = 'prod*': a GitHub environment name, no wildcards",
                "environments[1] = 'prod*': a GitHub environment name, no wildcards",
                "environments = ['prod*', 'prod*']: each name once",
            ],
        ),
        ({"environments": []}, ["environments = []: at least one GitHub environment"]),
    ],
)
def test_bad_args_list_every_problem(overrides: dict[str, object], expected: list[str]) -> None:
    values: dict[str, object] = {
        "repository": "acme/mlops-platform",
        "environments": ["prod"],
        "assumable_role_arns": [DEPLOYER],
        **overrides,
    }
    with pytest.raises(ArgsError) as raised:
        GithubOidcArgs(**values)  # type: ignore[arg-type]
    assert [str(p) for p in raised.value.problems] == expected
