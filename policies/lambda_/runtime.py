"""Functions run on a runtime AWS still patches."""

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
from mlops_platform.policies.common.values import dig

FUNCTION = "aws:lambda/function:Function"

INFO = RuleInfo(
    name="aws-lambda-function-supported-runtime",
    description="Lambda functions packaged as zip files use a supported runtime.",
    resource_types=(FUNCTION,),
    severity=Severity.MEDIUM,
    controls=(Control.fsbp("Lambda.2"),),
    remediation=(
        "Move the function to an allowed runtime; update the list as AWS deprecates runtimes."
    ),
    params={
        "allowedRuntimes": string_list(
            "Runtimes functions may use.",
            ["python3.12", "python3.13", "nodejs22.x", "java21", "provided.al2023"],
        )
    },
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    if dig(args.props, "packageType") == "Image":
        return  # a container image brings its own runtime
    runtime = dig(args.props, "runtime")
    allowed = list(settings["allowedRuntimes"])
    if runtime not in allowed:
        shown = "no runtime" if runtime is None else f"runtime {runtime!r}"
        report(f"the function uses {shown}; allowed: {', '.join(allowed)}")


POLICY = ResourceRule(INFO, _check)
