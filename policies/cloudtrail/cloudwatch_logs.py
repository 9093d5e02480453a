"""Trails deliver to CloudWatch Logs, where metric filters and alarms watch them."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from mlops_platform.policies.cloudtrail._trail import trail_rule
from mlops_platform.policies.common.rule import Control
from mlops_platform.policies.common.values import is_set


def _delivers(props: Any) -> bool:
    return is_set(props, "cloudWatchLogsGroupArn") and is_set(props, "cloudWatchLogsRoleArn")


POLICY = trail_rule(
    name="aws-cloudtrail-trail-cloudwatch-logs",
    description="CloudTrail trails deliver events to a CloudWatch Logs group.",
    controls=(Control.cis("3.4"), Control.fsbp("CloudTrail.5")),
    remediation="Set cloud_watch_logs_group_arn (ending ':*') and cloud_watch_logs_role_arn.",
    holds=_delivers,
    message=(
        "the trail does not deliver to CloudWatch Logs; set cloud_watch_logs_group_arn and "
        "cloud_watch_logs_role_arn"
    ),
    severity=Severity.MEDIUM,
)
INFO = POLICY.info
