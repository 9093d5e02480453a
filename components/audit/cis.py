"""CIS AWS Foundations Benchmark monitoring controls: metric filters on the trail's log group.

Each control pairs a CloudWatch Logs filter pattern over CloudTrail events with an alarm that
fires on the first match. The patterns are the benchmark's own (v1.4.0 numbering, section 4;
v1.2.0 numbered the same controls 3.x). Everything here is plain data; the audit component turns
it into `aws.cloudwatch.LogMetricFilter` and `aws.cloudwatch.MetricAlarm` resources.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CIS_NAMESPACE = "mlops/CISBenchmark"
"""Namespace of the metrics the filters publish; one namespace groups every CIS control."""


@dataclass(frozen=True, kw_only=True)
class CisControl:
    """One monitoring control: what to match in the trail's events and what it means."""

    key: str
    """Short stable name, used in resource and metric names (`root-usage`)."""
    control: str
    """The benchmark recommendation, v1.4.0 numbering (`4.3`)."""
    metric_name: str
    """The metric the filter increments by one per matching event."""
    pattern: str
    """The CloudWatch Logs filter pattern, exactly as the benchmark gives it."""
    description: str
    """What a match means, for the alarm's description."""


def _any_event(*names: str) -> str:
    return "{ " + " || ".join(f"($.eventName = {name})" for name in names) + " }"


CONTROLS: tuple[CisControl, ...] = (
    CisControl(
        key="console-signin-without-mfa",
        control="4.2",
        metric_name="ConsoleSigninWithoutMfa",
        pattern=(
            '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
            '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'
        ),
        description="An IAM user signed in to the console without MFA.",
    ),
    CisControl(
        key="root-usage",
        control="4.3",
        metric_name="RootAccountUsage",
        pattern=(
            '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
            '$.eventType != "AwsServiceEvent" }'
        ),
        description="The account's root user made a request.",
    ),
    CisControl(
        key="iam-policy-changes",
        control="4.4",
        metric_name="IamPolicyChanges",
        pattern="{"
        + "||".join(
            f"($.eventName={name})"
            for name in (
                "DeleteGroupPolicy",
                "DeleteRolePolicy",
                "DeleteUserPolicy",
                "PutGroupPolicy",
                "PutRolePolicy",
                "PutUserPolicy",
                "CreatePolicy",
                "DeletePolicy",
                "CreatePolicyVersion",
                "DeletePolicyVersion",
                "AttachRolePolicy",
                "DetachRolePolicy",
                "AttachUserPolicy",
                "DetachUserPolicy",
                "AttachGroupPolicy",
                "DetachGroupPolicy",
            )
        )
        + "}",
        description="An IAM policy was created, changed, attached, detached or deleted.",
    ),
    CisControl(
        key="cloudtrail-changes",
        control="4.5",
        metric_name="CloudTrailConfigChanges",
        pattern=_any_event(
            "CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"
        ),
        description="A trail was created, changed, deleted, started or stopped.",
    ),
    CisControl(
        key="kms-key-disable-or-deletion",
        control="4.7",
        metric_name="KmsKeyDisableOrDeletion",
        pattern=(
            "{($.eventSource = kms.amazonaws.com) && "
            "(($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"
        ),
        description="A customer managed KMS key was disabled or scheduled for deletion.",
    ),
    CisControl(
        key="security-group-changes",
        control="4.10",
        metric_name="SecurityGroupChanges",
        pattern=_any_event(
            "AuthorizeSecurityGroupIngress",
            "AuthorizeSecurityGroupEgress",
            "RevokeSecurityGroupIngress",
            "RevokeSecurityGroupEgress",
            "CreateSecurityGroup",
            "DeleteSecurityGroup",
        ),
        description="A security group or one of its rules was created, changed or deleted.",
    ),
)
"""The controls the audit component watches, in benchmark order."""


def metric_filters(
    log_group_name: str, namespace: str = CIS_NAMESPACE
) -> dict[str, dict[str, Any]]:
    """`aws.cloudwatch.LogMetricFilter` inputs per control key, on the trail's log group.

    Args:
        log_group_name: The name (not the ARN) of the group the trail delivers to.
        namespace: Where the metrics go; defaults to `CIS_NAMESPACE`.
    """
    return {
        control.key: {
            "name": f"cis-{control.control}-{control.key}",
            "log_group_name": log_group_name,
            "pattern": control.pattern,
            "metric_transformation": {
                "name": control.metric_name,
                "namespace": namespace,
                "value": "1",
                "default_value": "0",
            },
        }
        for control in CONTROLS
    }


def alarms(
    topic_arn: str, prefix: str, namespace: str = CIS_NAMESPACE
) -> dict[str, dict[str, Any]]:
    """`aws.cloudwatch.MetricAlarm` inputs per control key: alarm on one match in 5 minutes.

    Args:
        topic_arn: The encrypted alerting topic every alarm notifies.
        prefix: Starts each alarm name, so two stacks in one account never collide.
        namespace: Where the filters publish; defaults to `CIS_NAMESPACE`.
    """
    return {
        control.key: {
            "name": f"{prefix}-cis-{control.control}-{control.key}",
            "alarm_description": f"CIS {control.control}: {control.description}",
            "namespace": namespace,
            "metric_name": control.metric_name,
            "statistic": "Sum",
            "period": 300,
            "evaluation_periods": 1,
            "threshold": 1,
            "comparison_operator": "GreaterThanOrEqualToThreshold",
            "treat_missing_data": "notBreaching",
            "alarm_actions": [topic_arn],
        }
        for control in CONTROLS
    }
