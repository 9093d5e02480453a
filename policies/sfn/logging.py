"""State machines log their executions."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import (
    Control,
    Report,
    ResourceRule,
    RuleInfo,
    Settings,
    string_list,
)
from mlops_platform.policies.common.values import dig, is_set

STATE_MACHINE = "aws:sfn/stateMachine:StateMachine"

INFO = RuleInfo(
    name="aws-sfn-state-machine-logging",
    description="Step Functions state machines log executions at the environment's level.",
    resource_types=(STATE_MACHINE,),
    severity=Severity.MEDIUM,
    controls=(Control.fsbp("StepFunctions.1"),),
    remediation="Set logging_configuration with level ALL and a log_destination ending ':*'.",
    params={"allowedLevels": string_list("Logging levels allowed.", ["ALL"])},
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    allowed = list(settings["allowedLevels"])
    config = dig(args.props, "loggingConfiguration")
    level = dig(config, "level")
    if level is None or level == "OFF":
        report(f"execution logging is off; set logging_configuration.level to {allowed[0]!r}")
        return
    if level not in allowed:
        report(f"executions are logged at {level!r}; allowed: {', '.join(allowed)}")
    if not is_set(config, "logDestination"):
        report("logging has no log_destination; name a CloudWatch Logs group")


POLICY = ResourceRule(INFO, _check)
