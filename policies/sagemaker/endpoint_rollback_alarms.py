"""Every rollback alarm an endpoint names exists in the stack and can act."""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_policy import PolicyResource, Severity, StackValidationArgs
from pulumi_policy.proxy import UnknownValueError

from mlops_platform.policies.common.rule import Control, RuleInfo, Settings, StackReport, StackRule
from mlops_platform.policies.common.stack import describe, explicit_names, of_type
from mlops_platform.policies.common.types import COMPOSITE_ALARM, METRIC_ALARM, SAGEMAKER_ENDPOINT
from mlops_platform.policies.common.values import (
    dig,
    is_false,
    is_set,
    known,
    known_items,
    raise_first,
    text_list,
)

AUTO_NAME_SUFFIX = 8
"""The engine auto-names a resource `<logical name>-<7 random characters>`."""

INFO = RuleInfo(
    name="aws-sagemaker-endpoint-rollback-alarms-exist",
    description=(
        "Every auto-rollback alarm a SageMaker endpoint names is defined in the stack and has "
        "an enabled alarm action."
    ),
    resource_types=(SAGEMAKER_ENDPOINT, METRIC_ALARM, COMPOSITE_ALARM),
    severity=Severity.HIGH,
    controls=(Control.fsbp("CloudWatch.15"),),
    remediation=(
        "Define the alarm in the same stack (pass its name output to the endpoint) and give it "
        "an SNS topic in alarm_actions with actions enabled."
    ),
)


def _alarm_named(
    name: str, endpoint: PolicyResource, alarms: Sequence[PolicyResource]
) -> PolicyResource | None:
    """The alarm called `name`: by explicit name, else an auto-named alarm the endpoint uses."""
    for alarm in alarms:
        if name in explicit_names(alarm):
            return alarm
    used = {
        dependency.urn for dependency in endpoint.property_dependencies.get("deploymentConfig", [])
    }
    for alarm in alarms:
        auto_named = not explicit_names(alarm) and len(name) == len(alarm.name) + AUTO_NAME_SUFFIX
        if alarm.urn in used and auto_named and name.startswith(f"{alarm.name}-"):
            return alarm
    return None


def _check_actions(alarm: PolicyResource, endpoint: PolicyResource, report: StackReport) -> None:
    if not is_set(alarm.props, "alarmActions"):
        report(
            f"{describe(alarm)} is a rollback alarm of {describe(endpoint)} but has "
            "no alarm action; add an SNS topic to alarm_actions",
            alarm.urn,
        )
    elif is_false(dig(alarm.props, "actionsEnabled")):
        report(
            f"{describe(alarm)} is a rollback alarm of {describe(endpoint)} but its "
            "actions are disabled",
            alarm.urn,
        )


def _check_endpoint(
    endpoint: PolicyResource, alarms: Sequence[PolicyResource], report: StackReport
) -> UnknownValueError | None:
    """Check each rollback alarm the endpoint names; returns the first name not known yet.

    When a name is not known yet, the alarms the deployment config depends on are the rollback
    alarms, and their actions are checked all the same.
    """
    rollback, pending = known(
        endpoint.props, "deploymentConfig", "autoRollbackConfiguration", "alarms"
    )
    entries, unknown_entry = known_items(rollback)
    pending = pending or unknown_entry
    checked: set[str] = set()
    for entry in entries:
        names, unknown_name = known(entry, "alarmName")
        pending = pending or unknown_name
        for name in text_list(names):
            alarm = _alarm_named(name, endpoint, alarms)
            if alarm is None:
                report(
                    f"{describe(endpoint)} rolls back on alarm {name!r}, which is not "
                    "defined in this stack",
                    endpoint.urn,
                )
            else:
                checked.add(alarm.urn)
                _check_actions(alarm, endpoint, report)
    if pending is not None:
        used = {d.urn for d in endpoint.property_dependencies.get("deploymentConfig", [])}
        for alarm in alarms:
            if alarm.urn in used - checked:
                _check_actions(alarm, endpoint, report)
    return pending


def _check(args: StackValidationArgs, _settings: Settings, report: StackReport) -> None:
    alarms = of_type(args.resources, METRIC_ALARM, COMPOSITE_ALARM)
    endpoints = of_type(args.resources, SAGEMAKER_ENDPOINT)
    raise_first(*[_check_endpoint(endpoint, alarms, report) for endpoint in endpoints])


POLICY = StackRule(INFO, _check)
