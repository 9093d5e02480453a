"""Trails sign their log files so tampering shows."""

from __future__ import annotations

from mlops_platform.policies.cloudtrail._trail import trail_rule
from mlops_platform.policies.common.rule import Control
from mlops_platform.policies.common.values import dig, is_true

POLICY = trail_rule(
    name="aws-cloudtrail-trail-log-file-validation",
    description="CloudTrail trails validate their log files with signed digests.",
    controls=(Control.cis("3.2"), Control.fsbp("CloudTrail.4")),
    remediation="Set enable_log_file_validation=True.",
    holds=lambda props: is_true(dig(props, "enableLogFileValidation")),
    message="log file validation is off; set enable_log_file_validation=True",
)
INFO = POLICY.info
