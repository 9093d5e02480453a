"""The two workflows as Amazon States Language definitions, built from plain values.

JSONPath only (no JSONata, no workflow variables). Every Task retries transient errors with a
configurable backoff and catches everything else into a compensating path that releases the
lock, records the failure in the ledger and notifies the topic. Waits come from the execution
input (`SecondsPath`). The component serialises the dicts with `pulumi.Output.json_dumps`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._asl import RetryPolicy
from ._promotion import PromotionFunctions, promotion_states
from ._training import TrainingFunctions, training_states

__all__ = [
    "PromotionFunctions",
    "RetryPolicy",
    "TrainingFunctions",
    "alarm_rule_pattern",
    "promotion_definition",
    "training_definition",
]


def promotion_definition(
    functions: PromotionFunctions, topic_arn: str, retry: RetryPolicy | None = None
) -> dict[str, Any]:
    """The promotion workflow of one target in one environment.

    Args:
        functions: ARNs of the intake, lock, ledger, release, apply, verify and bake functions.
        topic_arn: SNS topic for approvals (task token in the message) and outcome notices.
        retry: Retry of transient errors; defaults to 2 s, 3 attempts, backoff 2.

    Returns:
        The definition as a dict, ready for `json.dumps`.
    """
    return {
        "Comment": "Promote one model version to one target: lock, ledger, release record, "
        "apply, verify, bake, promote or roll back, unlock.",
        "StartAt": "Init",
        "States": promotion_states(functions, topic_arn, retry or RetryPolicy()),
    }


def training_definition(
    functions: TrainingFunctions, topic_arn: str, retry: RetryPolicy | None = None
) -> dict[str, Any]:
    """The training and registration workflow of one target.

    Args:
        functions: ARNs of the intake, lock, ledger, training and gate functions.
        topic_arn: SNS topic for outcome notices.
        retry: Retry of transient errors; defaults to 2 s, 3 attempts, backoff 2.

    Returns:
        The definition as a dict, ready for `json.dumps`.
    """
    return {
        "Comment": "Validate data, train, evaluate, gate against the live champion, register.",
        "StartAt": "Init",
        "States": training_states(functions, topic_arn, retry or RetryPolicy()),
    }


def alarm_rule_pattern(alarm_arns: Sequence[str]) -> dict[str, Any]:
    """EventBridge pattern of the alarm watcher's rule: these alarms entering ALARM.

    Args:
        alarm_arns: The targets' rollback alarms (tagged `mlops:env` and `mlops:target`).

    Returns:
        The pattern as a dict, for `aws.cloudwatch.EventRule(event_pattern=...)`.
    """
    return {
        "source": ["aws.cloudwatch"],
        "detail-type": ["CloudWatch Alarm State Change"],
        "resources": list(alarm_arns),
        "detail": {"state": {"value": ["ALARM"]}},
    }
