"""Endpoint configurations encrypt storage volumes and captured data with KMS."""

from __future__ import annotations

import fnmatch

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import (
    Report,
    ResourceRule,
    RuleInfo,
    Settings,
    string_list,
)
from mlops_platform.policies.common.types import SAGEMAKER_ENDPOINT_CONFIG
from mlops_platform.policies.common.values import as_list, dig, is_set

HARDWARE_ENCRYPTED = [
    "ml.*d.*",
    "ml.*dn.*",
    "ml.g4dn.*",
    "ml.g5.*",
    "ml.g6.*",
    "ml.g6e.*",
    "ml.p4d.*",
    "ml.p4de.*",
    "ml.p5.*",
    "ml.p5e.*",
    "ml.p5en.*",
]
"""Instance types with local NVMe storage: encrypted by the instance, and AWS rejects a key."""

INFO = RuleInfo(
    name="aws-sagemaker-endpoint-configuration-kms",
    description=(
        "SageMaker endpoint configurations encrypt ML storage volumes and captured data with a "
        "customer managed KMS key."
    ),
    resource_types=(SAGEMAKER_ENDPOINT_CONFIG,),
    severity=Severity.HIGH,
    remediation=(
        "Set kms_key_arn (not possible, and not needed, when every variant runs on instances "
        "with local NVMe storage) and data_capture_config.kms_key_id."
    ),
    params={
        "hardwareEncryptedInstancePatterns": string_list(
            "Instance types whose storage the instance itself encrypts.", HARDWARE_ENCRYPTED
        )
    },
)


def _needs_volume_key(args: ResourceValidationArgs, patterns: list[str]) -> bool:
    for variant in as_list(dig(args.props, "productionVariants")):
        kind = dig(variant, "instanceType")
        if is_set(variant, "serverlessConfig") or not isinstance(kind, str):
            continue
        if not any(fnmatch.fnmatchcase(kind, pattern) for pattern in patterns):
            return True
    return False


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    patterns = list(settings["hardwareEncryptedInstancePatterns"])
    if _needs_volume_key(args, patterns) and not is_set(args.props, "kmsKeyArn"):
        report(
            "the ML storage volumes are not encrypted with a customer managed key; set kms_key_arn"
        )
    capture = dig(args.props, "dataCaptureConfig")
    if capture is not None and not is_set(capture, "kmsKeyId"):
        report(
            "captured requests are written without a KMS key; set data_capture_config.kms_key_id"
        )


POLICY = ResourceRule(INFO, _check)
