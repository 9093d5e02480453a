"""Endpoints roll out blue/green in steps and roll back on alarms."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import (
    Report,
    ResourceRule,
    RuleInfo,
    Settings,
    integer,
    string_list,
)
from mlops_platform.policies.common.types import SAGEMAKER_ENDPOINT
from mlops_platform.policies.common.values import as_list, dig, display

INFO = RuleInfo(
    name="aws-sagemaker-endpoint-safe-rollout",
    description=(
        "SageMaker endpoints update blue/green with canary or linear traffic shifting and roll "
        "back automatically on alarms."
    ),
    resource_types=(SAGEMAKER_ENDPOINT,),
    severity=Severity.HIGH,
    remediation=(
        "Set deployment_config.blue_green_update_policy with traffic_routing_configuration type "
        "CANARY or LINEAR, and auto_rollback_configuration.alarms naming the alarms that mean "
        "the new model misbehaves."
    ),
    params={
        "allowedTrafficRouting": string_list(
            "Blue/green traffic routing types allowed.", ["CANARY", "LINEAR"]
        ),
        "minRollbackAlarms": integer("Fewest auto-rollback alarms an endpoint names.", 1),
    },
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    config = dig(args.props, "deploymentConfig")
    policy = dig(config, "blueGreenUpdatePolicy")
    allowed = list(settings["allowedTrafficRouting"])
    if policy is None:
        report(
            "the endpoint has no blue/green update policy, so a bad model reaches all traffic "
            f"at once; add one with {' or '.join(allowed)} traffic routing"
        )
    else:
        routing = dig(policy, "trafficRoutingConfiguration", "type")
        if routing not in allowed:
            report(f"blue/green traffic routing is {routing!r}; allowed: {', '.join(allowed)}")
    alarms = as_list(dig(config, "autoRollbackConfiguration", "alarms"))
    needed = settings["minRollbackAlarms"]
    if len(alarms) < needed:
        report(
            f"the endpoint names {len(alarms)} auto-rollback alarms; at least {display(needed)} "
            "required, or nothing rolls back"
        )


POLICY = ResourceRule(INFO, _check)
