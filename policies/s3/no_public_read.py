"""No bucket policy lets anyone read the bucket's objects."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common import documents
from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import BUCKET_POLICY, BUCKETS
from mlops_platform.policies.common.values import dig

READ_ACTION = "s3:GetObject"
"""The action a public read needs; wildcards that cover it (`s3:Get*`, `s3:*`, `*`) count."""

INFO = RuleInfo(
    name="aws-s3-bucket-no-public-read",
    description=(
        "S3 bucket policies let no principal `*` read objects without a condition that pins "
        "the caller's account, organisation or network."
    ),
    resource_types=(*BUCKETS, *BUCKET_POLICY),
    severity=Severity.CRITICAL,
    controls=(Control.fsbp("S3.2"),),
    remediation=(
        "Name the principals that may read, or add a condition on aws:PrincipalOrgID, "
        "aws:PrincipalAccount, aws:SourceVpce or aws:SourceAccount to the statement."
    ),
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    text = dig(args.props, "policy")
    if text is None:
        return
    statements, ok = documents.load(text)
    if not ok:
        report("the bucket policy is not valid JSON")
        return
    for index, statement in enumerate(statements):
        if documents.is_public(statement) and statement.grants(READ_ACTION):
            report(
                f"bucket policy {documents.statement_label(statement, index)} lets any principal "
                "read objects; name the principals or add an aws:PrincipalOrgID, "
                "aws:PrincipalAccount or aws:SourceVpce condition"
            )


POLICY = ResourceRule(INFO, _check)
