"""Trails encrypt their log files with a customer managed key."""

from __future__ import annotations

from mlops_platform.policies.cloudtrail._trail import trail_rule
from mlops_platform.policies.common.rule import Control
from mlops_platform.policies.common.values import is_set

POLICY = trail_rule(
    name="aws-cloudtrail-trail-kms",
    description="CloudTrail trails encrypt log files with a customer managed KMS key.",
    controls=(Control.cis("3.7"), Control.fsbp("CloudTrail.2")),
    remediation="Set kms_key_id to a customer managed key whose policy lets CloudTrail use it.",
    holds=lambda props: is_set(props, "kmsKeyId"),
    message="log files are encrypted with S3's default key only; set kms_key_id",
)
INFO = POLICY.info
