"""Builds run without root access to the host's Docker daemon unless explicitly allowed."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.codebuild._project import PROJECT
from mlops_platform.policies.common.rule import (
    Control,
    Report,
    ResourceRule,
    RuleInfo,
    Settings,
    string_list,
)
from mlops_platform.policies.common.values import dig, is_true

INFO = RuleInfo(
    name="aws-codebuild-project-no-privileged-mode",
    description=(
        "CodeBuild projects do not run privileged unless the environment allows them by name."
    ),
    resource_types=(PROJECT,),
    severity=Severity.HIGH,
    controls=(Control.fsbp("CodeBuild.5"),),
    remediation=(
        "Remove environment.privileged_mode; a project that must build container images is "
        "added by logical name to allowedProjects in the environment's policy config."
    ),
    params={
        "allowedProjects": string_list("Logical names of projects that may run privileged.", [])
    },
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    privileged = is_true(dig(args.props, "environment", "privilegedMode"))
    if privileged and args.name not in settings["allowedProjects"]:
        report(
            "builds run in privileged mode; remove privileged_mode or allow the project by "
            "name in allowedProjects"
        )


POLICY = ResourceRule(INFO, _check)
