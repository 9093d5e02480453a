"""Symmetric KMS keys rotate their key material automatically."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import (
    Control,
    Report,
    ResourceRule,
    RuleInfo,
    Settings,
    integer,
)
from mlops_platform.policies.common.types import KMS_KEY
from mlops_platform.policies.common.values import as_number, dig, display, is_true

INFO = RuleInfo(
    name="aws-kms-key-rotation",
    description="Symmetric encryption KMS keys rotate their key material at least yearly.",
    resource_types=(KMS_KEY,),
    severity=Severity.MEDIUM,
    controls=(Control.cis("3.8"), Control.fsbp("KMS.4")),
    remediation="Set enable_key_rotation=True (and rotation_period_in_days within the limit).",
    params={
        "maxRotationPeriodDays": integer(
            "Longest rotation period allowed, in days (AWS allows 90 to 2560).", 365, 90
        )
    },
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    spec = dig(args.props, "customerMasterKeySpec") or "SYMMETRIC_DEFAULT"
    usage = dig(args.props, "keyUsage") or "ENCRYPT_DECRYPT"
    if spec != "SYMMETRIC_DEFAULT" or usage != "ENCRYPT_DECRYPT":
        return  # AWS rotates only symmetric encryption keys automatically
    if not is_true(dig(args.props, "enableKeyRotation")):
        report("automatic key rotation is off; set enable_key_rotation=True")
        return
    period = as_number(dig(args.props, "rotationPeriodInDays"))
    limit = settings["maxRotationPeriodDays"]
    if period is not None and period > limit:
        report(f"the key rotates every {display(period)} days; at most {display(limit)} allowed")


POLICY = ResourceRule(INFO, _check)
