"""No identity policy lets a principal decrypt with every key in the account."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common import documents
from mlops_platform.policies.common.identity_documents import identity_documents
from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import IAM_POLICY_DOCUMENTS, IAM_ROLE
from mlops_platform.policies.common.values import raise_first

DECRYPT_ACTIONS = ("kms:Decrypt", "kms:ReEncryptFrom")

INFO = RuleInfo(
    name="aws-kms-policy-no-decrypt-all-keys",
    description="IAM policies allow KMS decryption only on named keys, never on all keys.",
    resource_types=(*IAM_POLICY_DOCUMENTS, IAM_ROLE),
    severity=Severity.HIGH,
    controls=(Control.fsbp("KMS.1"), Control.fsbp("KMS.2")),
    remediation=(
        'List the key ARNs the principal needs in Resource instead of "*", or grant through the '
        "key's own key policy."
    ),
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    found, pending = identity_documents(args.resource_type, args.props)
    for where, text in found:
        statements, ok = documents.load(text)
        if not ok:
            report(f"{where} is not valid JSON")
            continue
        for index, statement in enumerate(statements):
            granted = [action for action in DECRYPT_ACTIONS if statement.grants(action)]
            if statement.allows and granted and statement.on_all_resources():
                report(
                    f"{where} {documents.statement_label(statement, index)} allows "
                    f"{', '.join(granted)} on all keys; list the key ARNs in Resource"
                )
    raise_first(pending)


POLICY = ResourceRule(INFO, _check)
