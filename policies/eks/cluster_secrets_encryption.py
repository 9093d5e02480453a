"""Kubernetes secrets are envelope-encrypted with a KMS key."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import EKS_CLUSTER
from mlops_platform.policies.common.values import dig, is_set, text_list

INFO = RuleInfo(
    name="aws-eks-cluster-secrets-encryption",
    description="EKS clusters envelope-encrypt Kubernetes secrets with a KMS key.",
    resource_types=(EKS_CLUSTER,),
    severity=Severity.HIGH,
    controls=(Control.fsbp("EKS.3"),),
    remediation="Set encryption_config with resources ['secrets'] and provider.key_arn.",
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    config = dig(args.props, "encryptionConfig")
    if "secrets" not in text_list(dig(config, "resources")):
        report(
            "Kubernetes secrets are not envelope-encrypted; add encryption_config with "
            "resources ['secrets'] and a KMS key"
        )
    elif not is_set(config, "provider", "keyArn"):
        report("encryption_config names no KMS key; set provider.key_arn")


POLICY = ResourceRule(INFO, _check)
