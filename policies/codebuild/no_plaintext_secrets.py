"""Credentials never sit in a build's plaintext environment variables."""

from __future__ import annotations

import fnmatch

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
from mlops_platform.policies.common.values import as_list, dig

INFO = RuleInfo(
    name="aws-codebuild-project-no-plaintext-secrets",
    description="CodeBuild projects keep credentials out of plaintext environment variables.",
    resource_types=(PROJECT,),
    severity=Severity.CRITICAL,
    controls=(Control.fsbp("CodeBuild.2"),),
    remediation=(
        "Store the value in Secrets Manager or Parameter Store and give the variable type "
        "SECRETS_MANAGER or PARAMETER_STORE."
    ),
    params={
        "secretNamePatterns": string_list(
            "Variable name patterns that hold credentials (case-insensitive).",
            ["*PASSWORD*", "*SECRET*", "*TOKEN*", "*API_KEY*", "*ACCESS_KEY*", "*PRIVATE_KEY*"],
        )
    },
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    patterns = [pattern.upper() for pattern in settings["secretNamePatterns"]]
    for variable in as_list(dig(args.props, "environment", "environmentVariables")):
        name = dig(variable, "name")
        kind = dig(variable, "type") or "PLAINTEXT"
        if not isinstance(name, str) or kind != "PLAINTEXT":
            continue
        if any(fnmatch.fnmatchcase(name.upper(), pattern) for pattern in patterns):
            report(
                f"environment variable {name!r} looks like a credential in plaintext; use type "
                "SECRETS_MANAGER or PARAMETER_STORE"
            )


POLICY = ResourceRule(INFO, _check)
