"""State machines are traced with X-Ray."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.values import dig, is_true
from mlops_platform.policies.sfn.logging import STATE_MACHINE

INFO = RuleInfo(
    name="aws-sfn-state-machine-tracing",
    description="Step Functions state machines send traces to X-Ray.",
    resource_types=(STATE_MACHINE,),
    severity=Severity.LOW,
    remediation="Set tracing_configuration.enabled=True.",
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    if not is_true(dig(args.props, "tracingConfiguration", "enabled")):
        report("X-Ray tracing is off; set tracing_configuration.enabled=True")


POLICY = ResourceRule(INFO, _check)
