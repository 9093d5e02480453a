"""Role trust policies name who may assume the role, and pin web identities to a subject."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common import documents
from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import IAM_ROLE
from mlops_platform.policies.common.values import dig

WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"

INFO = RuleInfo(
    name="aws-iam-role-trust-scoped",
    description=(
        "Role trust policies never let any principal assume the role, and web-identity trust "
        "(EKS service accounts) is pinned to a subject."
    ),
    resource_types=(IAM_ROLE,),
    severity=Severity.CRITICAL,
    remediation=(
        "Name the trusted principal; for an OIDC provider add a StringEquals condition on "
        "<provider>:sub naming the service account (system:serviceaccount:<ns>:<name>)."
    ),
)


def _pins_subject(statement: documents.Statement) -> bool:
    return any(key.endswith(":sub") for key in statement.condition_keys())


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    text = dig(args.props, "assumeRolePolicy")
    if text is None:
        return
    statements, ok = documents.load(text)
    if not ok:
        report("the trust policy is not valid JSON")
        return
    for index, statement in enumerate(statements):
        label = documents.statement_label(statement, index)
        if documents.is_public(statement):
            report(f"trust policy {label} lets any principal assume the role; name the principal")
        federated = documents.principal_values(statement.principal, "Federated")
        if (
            statement.allows
            and federated
            and statement.grants(WEB_IDENTITY)
            and not _pins_subject(statement)
        ):
            report(
                f"trust policy {label} lets every identity of its OIDC provider assume the "
                "role; add a StringEquals condition on the provider's :sub claim"
            )


POLICY = ResourceRule(INFO, _check)
