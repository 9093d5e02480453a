"""Every bucket's policy refuses requests that do not use TLS."""

from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyResource, Severity, StackValidationArgs

from mlops_platform.policies.common import documents
from mlops_platform.policies.common.buckets import buckets, companions
from mlops_platform.policies.common.rule import Control, RuleInfo, Settings, StackReport, StackRule
from mlops_platform.policies.common.stack import describe
from mlops_platform.policies.common.types import BUCKET_POLICY, BUCKETS
from mlops_platform.policies.common.values import as_list, as_mapping, dig, is_false

INFO = RuleInfo(
    name="aws-s3-bucket-tls-only",
    description="S3 bucket policies deny every request made without TLS.",
    resource_types=(*BUCKETS, *BUCKET_POLICY),
    severity=Severity.HIGH,
    controls=(Control.cis("2.1.2"), Control.fsbp("S3.5")),
    remediation=(
        "Give the bucket an aws.s3.BucketPolicy with a statement that denies s3:* to principal "
        '"*" on the bucket and its objects when the condition Bool aws:SecureTransport is false.'
    ),
)


def _denies_plain_http(statement: documents.Statement) -> bool:
    if statement.effect != "Deny" or not statement.grants("s3:GetObject"):
        return False
    if "*" not in documents.principal_values(statement.principal):
        return False
    for operator in ("Bool", "BoolIfExists"):
        block = as_mapping(statement.condition.get(operator))
        for key, value in block.items():
            if key.lower() == "aws:securetransport" and any(is_false(v) for v in as_list(value)):
                return True
    return False


def _documents(bucket: PolicyResource, policies: list[PolicyResource]) -> list[Any]:
    found = [dig(policy.props, "policy") for policy in policies]
    inline = dig(bucket.props, "policy")
    return [*found, inline] if inline else found


def _check(args: StackValidationArgs, _settings: Settings, report: StackReport) -> None:
    attached = companions(args.resources, BUCKET_POLICY)
    for bucket in buckets(args.resources):
        texts = _documents(bucket, attached[bucket.urn])
        if not texts:
            report(
                f"{describe(bucket)} has no bucket policy; add one that denies s3:* when "
                "aws:SecureTransport is false",
                bucket.urn,
            )
            continue
        loaded = [documents.load(text) for text in texts]
        if not all(ok for _, ok in loaded):
            report(f"the bucket policy of {describe(bucket)} is not valid JSON", bucket.urn)
            continue
        statements = [statement for parsed, _ in loaded for statement in parsed]
        if not any(_denies_plain_http(statement) for statement in statements):
            report(
                f"the bucket policy of {describe(bucket)} does not deny requests without TLS; "
                'add a Deny of s3:* for principal "*" when aws:SecureTransport is false',
                bucket.urn,
            )


POLICY = StackRule(INFO, _check)
