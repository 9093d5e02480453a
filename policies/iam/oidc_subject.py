"""Roles that trust an OIDC provider name the exact subject and audience, with no wildcard."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common import documents
from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import IAM_ROLE
from mlops_platform.policies.common.values import as_mapping, dig, text_list

WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
GITHUB = "token.actions.githubusercontent.com"
STS_AUDIENCE = "sts.amazonaws.com"

INFO = RuleInfo(
    name="aws-iam-oidc-role-subject-pinned",
    description=(
        "Roles trusted by an OIDC provider pin the token's subject with StringEquals and no "
        "wildcard; GitHub roles also pin the audience to sts.amazonaws.com."
    ),
    resource_types=(IAM_ROLE,),
    severity=Severity.CRITICAL,
    remediation=(
        "Use a StringEquals condition on <provider>:sub with the exact subject, e.g. "
        "repo:ORG/REPO:environment:prod or repo:ORG/REPO:pull_request, and on "
        "<provider>:aud with sts.amazonaws.com."
    ),
)


def _host(principal: str) -> str:
    """The provider's host (the prefix of its condition keys) from its ARN."""
    return principal.split(":oidc-provider/", 1)[-1]


def _values(statement: documents.Statement, key: str) -> dict[str, list[str]]:
    """Values tested for `key`, by condition operator."""
    found: dict[str, list[str]] = {}
    for operator, block in statement.condition.items():
        for name, value in as_mapping(block).items():
            if name.lower() == key.lower():
                found.setdefault(operator, []).extend(text_list(value))
    return found


def _check_claim(label: str, key: str, tests: dict[str, list[str]], report: Report) -> None:
    for operator, values in tests.items():
        if operator != "StringEquals":
            report(f"trust policy {label} tests {key} with {operator}; use StringEquals")
        wild = [value for value in values if "*" in value or "?" in value]
        if wild:
            report(f"trust policy {label} matches {key} with wildcards {wild}; name it exactly")


def _check_statement(statement: documents.Statement, label: str, report: Report) -> None:
    for principal in documents.principal_values(statement.principal, "Federated"):
        host = _host(principal)
        sub, aud = _values(statement, f"{host}:sub"), _values(statement, f"{host}:aud")
        if "StringEquals" not in sub:
            report(
                f"trust policy {label} lets tokens of {host} assume the role without a "
                f"StringEquals condition on {host}:sub; pin the exact subject"
            )
        _check_claim(label, f"{host}:sub", sub, report)
        _check_claim(label, f"{host}:aud", aud, report)
        if host == GITHUB and aud.get("StringEquals") != [STS_AUDIENCE]:
            report(f"trust policy {label} does not require {host}:aud = {STS_AUDIENCE}")


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    statements, ok = documents.load(dig(args.props, "assumeRolePolicy"))
    if not ok:
        return  # aws-iam-role-trust-scoped reports a trust policy that does not parse
    for index, statement in enumerate(statements):
        if statement.allows and statement.grants(WEB_IDENTITY):
            _check_statement(statement, documents.statement_label(statement, index), report)


POLICY = ResourceRule(INFO, _check)
