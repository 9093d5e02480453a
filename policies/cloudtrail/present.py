"""Every stack has at least one trail recording what happens in its account."""

from __future__ import annotations

from pulumi_policy import Severity, StackValidationArgs

from mlops_platform.policies.common.rule import (
    Control,
    RuleInfo,
    Settings,
    StackReport,
    StackRule,
    string_list,
)
from mlops_platform.policies.common.stack import of_type
from mlops_platform.policies.common.types import TRAIL
from mlops_platform.policies.common.values import dig, is_false

INFO = RuleInfo(
    name="aws-cloudtrail-trail-present",
    description="Every stack has at least one CloudTrail trail that is logging.",
    resource_types=(TRAIL,),
    severity=Severity.HIGH,
    controls=(Control.cis("3.1"), Control.fsbp("CloudTrail.1")),
    remediation=(
        "Add the audit component (mlops:audit:AuditTrail, a multi-region trail) to the stack; "
        "infra/monitoring.py gives every stack one. Mandatory in every environment."
    ),
    params={
        "coveredProjects": string_list(
            "Pulumi projects whose stacks deploy into an account another project's trail "
            "records (the serving layer, beside the platform layer that owns the trail).",
            [],
        )
    },
)
STACK = "pulumi:pulumi:Stack"


def _project(args: StackValidationArgs) -> str | None:
    """The stack's project, from its URN (`urn:pulumi:<stack>::<project>::...`)."""
    for resource in of_type(args.resources, STACK):
        return str(resource.urn).split("::")[1]
    return None


def _check(args: StackValidationArgs, settings: Settings, report: StackReport) -> None:
    if _project(args) in settings["coveredProjects"]:
        return
    trails = of_type(args.resources, TRAIL)
    if not any(not is_false(dig(trail.props, "enableLogging")) for trail in trails):
        found = "no CloudTrail trail" if not trails else "no trail that is logging"
        report(f"the stack has {found}; add a multi-region trail", None)


POLICY = StackRule(INFO, _check)
