"""A trail rule that checks one input: declared once, four times over."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import TRAIL


def trail_rule(
    *,
    name: str,
    description: str,
    controls: tuple[Control, ...],
    remediation: str,
    holds: Callable[[Any], bool],
    message: str,
    severity: Severity = Severity.HIGH,
) -> ResourceRule:
    """A rule that reports `message` when `holds(props)` is false for a trail."""

    def check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
        if not holds(args.props):
            report(message)

    info = RuleInfo(
        name=name,
        description=description,
        resource_types=(TRAIL,),
        severity=severity,
        controls=controls,
        remediation=remediation,
    )
    return ResourceRule(info, check)
