"""Pipeline artifacts (sources, builds, the image record) are encrypted with a KMS key."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.codepipeline.manual_approval import PIPELINE
from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.values import as_list, dig, is_set

INFO = RuleInfo(
    name="aws-codepipeline-pipeline-artifact-store-kms",
    description="CodePipeline artifact stores are encrypted with a customer-managed KMS key.",
    resource_types=(PIPELINE,),
    severity=Severity.HIGH,
    remediation=(
        "Give every artifact store an encryption_key with type 'KMS' and the id of a key the "
        "stack owns (the default S3 key cannot be shared with deploy accounts)."
    ),
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    stores = as_list(dig(args.props, "artifactStores"))
    if not stores:
        report("the pipeline declares no artifact store; add one encrypted with a KMS key")
    for store in stores:
        where = dig(store, "location")
        region = dig(store, "region")
        label = f"artifact store {where!r}" + (f" in {region}" if region else "")
        key = dig(store, "encryptionKey")
        if dig(key, "type") != "KMS" or not is_set(key, "id"):
            report(f"{label} has no KMS encryption key; set encryption_key type 'KMS' and its id")


POLICY = ResourceRule(INFO, _check)
