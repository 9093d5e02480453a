"""Every bucket's policy refuses requests that do not use TLS."""

from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyResource, Severity, StackValidationArgs
from pulumi_policy.proxy import UnknownValueError

from mlops_platform.policies.common import documents
from mlops_platform.policies.common.buckets import buckets, companions
from mlops_platform.policies.common.rule import Control, RuleInfo, Settings, StackReport, StackRule
from mlops_platform.policies.common.stack import describe
from mlops_platform.policies.common.types import BUCKET_POLICY, BUCKETS
from mlops_platform.policies.common.values import as_list, as_mapping, is_false, known, raise_first

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


def _documents(
    bucket: PolicyResource, policies: list[PolicyResource]
) -> tuple[list[Any], UnknownValueError | None]:
    """The bucket's policy documents known now, and the error of the first one not known yet."""
    found: list[Any] = []
    pending: UnknownValueError | None = None
    for props in [*(policy.props for policy in policies), bucket.props]:
        text, unknown = known(props, "policy")
        pending = pending or unknown
        if text:
            found.append(text)
    return found, pending


def _check(args: StackValidationArgs, _settings: Settings, report: StackReport) -> None:
    attached = companions(args.resources, BUCKET_POLICY)
    pending: list[UnknownValueError | None] = []
    for bucket in buckets(args.resources):
        texts, unknown = _documents(bucket, attached[bucket.urn])
        pending.append(unknown)
        _check_bucket(bucket, texts, unknown is not None, report)
    # Buckets whose policy is not known yet were skipped: the engine says so as an advisory.
    raise_first(*pending)


def _check_bucket(
    bucket: PolicyResource, texts: list[Any], more_unknown: bool, report: StackReport
) -> None:
    """Report a bucket whose known documents do not deny plain HTTP, unless more may come."""
    if not texts:
        if not more_unknown:
            report(
                f"{describe(bucket)} has no bucket policy; add one that denies s3:* when "
                "aws:SecureTransport is false",
                bucket.urn,
            )
        return
    loaded = [documents.load(text) for text in texts]
    if not all(ok for _, ok in loaded):
        report(f"the bucket policy of {describe(bucket)} is not valid JSON", bucket.urn)
        return
    statements = [statement for parsed, _ in loaded for statement in parsed]
    if not more_unknown and not any(_denies_plain_http(statement) for statement in statements):
        report(
            f"the bucket policy of {describe(bucket)} does not deny requests without TLS; "
            'add a Deny of s3:* for principal "*" when aws:SecureTransport is false',
            bucket.urn,
        )


POLICY = StackRule(INFO, _check)
