"""No IAM policy grants every action on every resource."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity
from pulumi_policy.proxy import UnknownValueError

from mlops_platform.policies.common import documents
from mlops_platform.policies.common.identity_documents import identity_documents
from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import IAM_ATTACHMENTS, IAM_POLICY_DOCUMENTS, IAM_ROLE
from mlops_platform.policies.common.values import dig, known, known_items, raise_first, text_list

ADMIN_POLICY_SUFFIX = ":policy/AdministratorAccess"

INFO = RuleInfo(
    name="aws-iam-policy-no-admin-wildcard",
    description=(
        'IAM policies never allow "*" actions on "*" resources, nor attach AdministratorAccess.'
    ),
    resource_types=(*IAM_POLICY_DOCUMENTS, IAM_ROLE, *IAM_ATTACHMENTS),
    severity=Severity.CRITICAL,
    controls=(Control.cis("1.16"), Control.fsbp("IAM.1")),
    remediation="Grant only the actions and resources the principal needs.",
)


def _check_documents(args: ResourceValidationArgs, report: Report) -> UnknownValueError | None:
    found, pending = identity_documents(args.resource_type, args.props)
    for where, text in found:
        statements, ok = documents.load(text)
        if not ok:
            report(f"{where} is not valid JSON")
            continue
        for index, statement in enumerate(statements):
            if not statement.allows or not statement.on_all_resources():
                continue
            label = documents.statement_label(statement, index)
            if any(action in ("*", "*:*") for action in statement.actions):
                report(f'{where} {label} allows "*" on "*"; grant only the actions needed')
            elif statement.not_actions:
                report(f'{where} {label} allows everything but NotAction on "*"; list actions')
    return pending


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    attached, unknown_attached = known(args.props, "policyArn")
    managed, unknown_managed = known_items(dig(args.props, "managedPolicyArns"))
    arns = text_list(attached) + text_list(managed)
    if any(arn.endswith(ADMIN_POLICY_SUFFIX) for arn in arns):
        report("attaches AdministratorAccess; attach a policy with only the actions needed")
    raise_first(unknown_attached, unknown_managed, _check_documents(args, report))


POLICY = ResourceRule(INFO, _check)
