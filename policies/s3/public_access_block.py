"""Every bucket has a public-access block with all four settings on."""

from __future__ import annotations

from pulumi_policy import Severity, StackValidationArgs

from mlops_platform.policies.common.buckets import buckets, companions
from mlops_platform.policies.common.rule import Control, RuleInfo, Settings, StackReport, StackRule
from mlops_platform.policies.common.stack import describe
from mlops_platform.policies.common.types import BUCKET_PUBLIC_ACCESS_BLOCK, BUCKETS
from mlops_platform.policies.common.values import dig, is_true

FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")

INFO = RuleInfo(
    name="aws-s3-bucket-public-access-block",
    description="S3 buckets block every form of public access.",
    resource_types=(*BUCKETS, *BUCKET_PUBLIC_ACCESS_BLOCK),
    severity=Severity.CRITICAL,
    controls=(Control.cis("2.1.5"), Control.fsbp("S3.8")),
    remediation=(
        "Add an aws.s3.BucketPublicAccessBlock for the bucket with block_public_acls, "
        "block_public_policy, ignore_public_acls and restrict_public_buckets all True."
    ),
)


def _check(args: StackValidationArgs, _settings: Settings, report: StackReport) -> None:
    blocks = companions(args.resources, BUCKET_PUBLIC_ACCESS_BLOCK)
    for bucket in buckets(args.resources):
        if not blocks[bucket.urn]:
            report(
                f"{describe(bucket)} has no public-access block; add an "
                "aws.s3.BucketPublicAccessBlock with all four settings true",
                bucket.urn,
            )
        for block in blocks[bucket.urn]:
            off = [flag for flag in FLAGS if not is_true(dig(block.props, flag))]
            if off:
                report(
                    f"public-access block of {describe(bucket)} leaves {', '.join(off)} off; "
                    "set all four to true",
                    block.urn,
                )


POLICY = StackRule(INFO, _check)
