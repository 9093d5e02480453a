"""Access to buckets is granted by policies only: ACLs stay disabled."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import BUCKET_ACL, BUCKET_OWNERSHIP, BUCKETS
from mlops_platform.policies.common.values import as_list, dig

INFO = RuleInfo(
    name="aws-s3-bucket-no-acl",
    description="S3 buckets use no ACLs; object ownership stays BucketOwnerEnforced.",
    resource_types=(*BUCKETS, *BUCKET_ACL, *BUCKET_OWNERSHIP),
    severity=Severity.HIGH,
    controls=(Control.fsbp("S3.12"),),
    remediation=(
        "Remove acl, grants and aws.s3.BucketAcl resources; keep object ownership "
        "BucketOwnerEnforced and grant access with a bucket policy or IAM instead."
    ),
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    if args.resource_type in BUCKET_ACL:
        report(
            "ACLs are disabled on platform buckets; remove this ACL and grant access with a policy"
        )
        return
    if args.resource_type in BUCKET_OWNERSHIP:
        ownership = dig(args.props, "rule", "objectOwnership")
        if ownership != "BucketOwnerEnforced":
            report(
                f"object ownership is {ownership!r}, which enables ACLs; use 'BucketOwnerEnforced'"
            )
        return
    acl = dig(args.props, "acl")
    if acl is not None and acl != "private":
        report(f"the bucket sets the canned ACL {acl!r}; remove acl and grant access with a policy")
    if as_list(dig(args.props, "grants")):
        report("the bucket grants access through ACL grants; remove grants and use a policy")


POLICY = ResourceRule(INFO, _check)
