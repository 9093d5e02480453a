"""A rule on the model registry reacts to approved packages only, of the group it names."""

from __future__ import annotations

from typing import Any

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.values import as_list, as_mapping, dig, parse_json

EVENT_RULE = "aws:cloudwatch/eventRule:EventRule"
PACKAGE_CHANGE = "SageMaker Model Package State Change"

INFO = RuleInfo(
    name="aws-events-model-registry-rule-approved-only",
    description=(
        "EventBridge rules on SageMaker model package changes match only Approved packages of "
        "named model package groups."
    ),
    resource_types=(EVENT_RULE,),
    severity=Severity.HIGH,
    remediation=(
        'Add "detail": {"ModelApprovalStatus": ["Approved"], "ModelPackageGroupName": '
        '["<group>"]} to the event pattern, so a rejected or pending package never deploys.'
    ),
)


def _exact_values(value: Any) -> list[str] | None:
    """The values of a pattern field when all are exact strings; None for any matcher."""
    values = as_list(value)
    if not values or not all(isinstance(item, str) for item in values):
        return None
    return [str(item) for item in values]


def _matches_package_changes(pattern: Any) -> bool:
    sources = as_list(dig(pattern, "source"))
    types = as_list(dig(pattern, "detail-type"))
    from_sagemaker = not sources or "aws.sagemaker" in sources
    return from_sagemaker and (PACKAGE_CHANGE in types or (not types and bool(sources)))


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    text = dig(args.props, "eventPattern")
    if text is None:
        return
    pattern, ok = parse_json(text)
    if not ok:
        report("the event pattern is not valid JSON")
        return
    if not _matches_package_changes(pattern):
        return
    detail = as_mapping(dig(pattern, "detail"))
    if _exact_values(detail.get("ModelApprovalStatus")) != ["Approved"]:
        report(
            "the rule matches model package changes whose status is not only Approved "
            f"(detail.ModelApprovalStatus = {detail.get('ModelApprovalStatus')!r}); "
            'filter on ["Approved"]'
        )
    if _exact_values(detail.get("ModelPackageGroupName")) is None:
        report(
            "the rule matches packages of any model package group; list the exact "
            "detail.ModelPackageGroupName"
        )


POLICY = ResourceRule(INFO, _check)
