"""Nobody outside the platform can invoke a function."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.values import dig, is_set

PERMISSION = "aws:lambda/permission:Permission"
FUNCTION_URL = "aws:lambda/functionUrl:FunctionUrl"
PINNING_INPUTS = ("sourceArn", "sourceAccount", "principalOrgId")
"""Inputs that pin a permission for `*` to one caller, account or organisation."""

INFO = RuleInfo(
    name="aws-lambda-permission-no-public-invoke",
    description="Lambda permissions and function URLs never let anonymous callers invoke.",
    resource_types=(PERMISSION, FUNCTION_URL),
    severity=Severity.CRITICAL,
    controls=(Control.fsbp("Lambda.1"),),
    remediation=(
        "Name the calling service or account as principal and set source_arn or source_account; "
        "give function URLs authorization_type 'AWS_IAM'."
    ),
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    if args.resource_type == FUNCTION_URL:
        if dig(args.props, "authorizationType") == "NONE":
            report("the function URL takes unauthenticated calls; use authorization_type 'AWS_IAM'")
        return
    pinned = any(is_set(args.props, key) for key in PINNING_INPUTS)
    if dig(args.props, "principal") == "*" and not pinned:
        report("any principal may invoke the function; name the caller or set source_arn")
    if dig(args.props, "functionUrlAuthType") == "NONE":
        report("the permission allows unauthenticated function URL calls; use 'AWS_IAM'")


POLICY = ResourceRule(INFO, _check)
