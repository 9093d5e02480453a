"""Every bucket encrypts at rest with KMS, through an inline or a standalone configuration."""

from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyResource, Severity, StackValidationArgs

from mlops_platform.policies.common.buckets import buckets, companions
from mlops_platform.policies.common.rule import (
    Control,
    RuleInfo,
    Settings,
    StackReport,
    StackRule,
    boolean,
    string_list,
)
from mlops_platform.policies.common.stack import describe
from mlops_platform.policies.common.types import BUCKET_ENCRYPTION, BUCKETS
from mlops_platform.policies.common.values import as_list, dig, is_set

INFO = RuleInfo(
    name="aws-s3-bucket-server-side-encryption",
    description="S3 buckets encrypt objects at rest with a KMS key.",
    resource_types=(*BUCKETS, *BUCKET_ENCRYPTION),
    severity=Severity.HIGH,
    controls=(Control.cis("2.1.1"), Control.fsbp("S3.4")),
    remediation=(
        "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket whose rule applies "
        "sse_algorithm 'aws:kms' with kms_master_key_id set to a customer managed key."
    ),
    params={
        "allowedAlgorithms": string_list(
            "Server-side encryption algorithms a bucket may use.", ["aws:kms", "aws:kms:dsse"]
        ),
        "requireCustomerKey": boolean(
            "Require kmsMasterKeyId (a customer managed key) rather than the AWS managed key.",
            True,
        ),
    },
)


def _defaults(bucket: PolicyResource, configs: list[PolicyResource]) -> list[Any]:
    """Every `applyServerSideEncryptionByDefault` block that applies to the bucket."""
    blocks = []
    for config in configs:
        for rule in as_list(dig(config.props, "rules")):
            blocks.append(dig(rule, "applyServerSideEncryptionByDefault"))
    inline = dig(bucket.props, "serverSideEncryptionConfiguration", "rule")
    inline_v2 = dig(bucket.props, "serverSideEncryptionConfigurations", "rules")
    blocks.append(dig(inline, "applyServerSideEncryptionByDefault"))
    blocks += [dig(rule, "applyServerSideEncryptionByDefaults") for rule in as_list(inline_v2)]
    return [block for block in blocks if block is not None]


def _check(args: StackValidationArgs, settings: Settings, report: StackReport) -> None:
    allowed = list(settings["allowedAlgorithms"])
    attached = companions(args.resources, BUCKET_ENCRYPTION)
    for bucket in buckets(args.resources):
        blocks = _defaults(bucket, attached[bucket.urn])
        if not blocks:
            report(
                f"{describe(bucket)} has no server-side encryption configuration; add one with "
                f"sse_algorithm {allowed[0]!r}",
                bucket.urn,
            )
            continue
        for block in blocks:
            algorithm = dig(block, "sseAlgorithm")
            if algorithm not in allowed:
                report(
                    f"{describe(bucket)} encrypts with {algorithm!r}; allowed: "
                    f"{', '.join(allowed)}",
                    bucket.urn,
                )
            elif (
                settings["requireCustomerKey"]
                and str(algorithm).startswith("aws:kms")
                and not is_set(block, "kmsMasterKeyId")
            ):
                report(
                    f"{describe(bucket)} encrypts with the AWS managed key; set "
                    "kms_master_key_id to a customer managed key",
                    bucket.urn,
                )


POLICY = StackRule(INFO, _check)
