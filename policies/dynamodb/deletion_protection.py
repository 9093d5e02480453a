"""Tables refuse to be deleted until protection is turned off."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import DYNAMODB_TABLE
from mlops_platform.policies.common.values import dig, is_true

INFO = RuleInfo(
    name="aws-dynamodb-table-deletion-protection",
    description="DynamoDB tables have deletion protection enabled.",
    resource_types=(DYNAMODB_TABLE,),
    severity=Severity.MEDIUM,
    controls=(Control.fsbp("DynamoDB.6"),),
    remediation="Set deletion_protection_enabled=True.",
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    if not is_true(dig(args.props, "deletionProtectionEnabled")):
        report("deletion protection is off; set deletion_protection_enabled=True")


POLICY = ResourceRule(INFO, _check)
