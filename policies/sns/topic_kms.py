"""Topics encrypt messages at rest."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import SNS_TOPIC
from mlops_platform.policies.common.values import is_set

INFO = RuleInfo(
    name="aws-sns-topic-kms",
    description="SNS topics encrypt messages with a KMS key.",
    resource_types=(SNS_TOPIC,),
    severity=Severity.MEDIUM,
    controls=(Control.fsbp("SNS.1"),),
    remediation=(
        "Set kms_master_key_id to a customer managed key whose policy lets CloudWatch (for "
        "alarms) and the publishers use it."
    ),
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    if not is_set(args.props, "kmsMasterKeyId"):
        report("messages are stored unencrypted; set kms_master_key_id")


POLICY = ResourceRule(INFO, _check)
