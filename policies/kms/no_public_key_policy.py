"""No key policy lets anyone use a key."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common import documents
from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import KMS_KEY
from mlops_platform.policies.common.values import dig

INFO = RuleInfo(
    name="aws-kms-key-no-public-policy",
    description="KMS key policies grant nothing to every principal without a pinning condition.",
    resource_types=(KMS_KEY,),
    severity=Severity.CRITICAL,
    remediation=(
        "Name the principals in the statement, or add a condition on aws:PrincipalAccount, "
        "aws:PrincipalOrgID or kms:CallerAccount."
    ),
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    text = dig(args.props, "policy")
    if text is None:
        return  # AWS's default key policy: the account alone administers the key
    documents.report_public_statements(
        text,
        document="key policy",
        grants="use the key; name the principals or add an account condition",
        report=report,
    )


POLICY = ResourceRule(INFO, _check)
