"""No topic policy lets anyone publish or subscribe."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common import documents
from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import SNS_TOPIC, SNS_TOPIC_POLICY
from mlops_platform.policies.common.values import dig

INFO = RuleInfo(
    name="aws-sns-topic-no-public-policy",
    description="SNS topic policies grant nothing to every principal without a pinning condition.",
    resource_types=(SNS_TOPIC, SNS_TOPIC_POLICY),
    severity=Severity.CRITICAL,
    remediation=(
        "Name the principals (e.g. cloudwatch.amazonaws.com) and add an aws:SourceAccount or "
        "aws:SourceArn condition."
    ),
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    text = dig(args.props, "policy")
    if text is None:
        return
    documents.report_public_statements(
        text,
        document="topic policy",
        grants="act on the topic; add an aws:SourceAccount or aws:SourceArn condition",
        report=report,
    )


POLICY = ResourceRule(INFO, _check)
