"""Log groups encrypt their events with a customer managed key."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import LOG_GROUP
from mlops_platform.policies.common.values import is_set

INFO = RuleInfo(
    name="aws-cloudwatch-log-group-kms",
    description="CloudWatch Logs groups encrypt log events with a customer managed KMS key.",
    resource_types=(LOG_GROUP,),
    severity=Severity.MEDIUM,
    remediation=(
        "Set kms_key_id to a key whose policy lets logs.<region>.amazonaws.com use it for this "
        "log group."
    ),
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    if not is_set(args.props, "kmsKeyId"):
        report("log events are encrypted with CloudWatch's own key only; set kms_key_id")


POLICY = ResourceRule(INFO, _check)
