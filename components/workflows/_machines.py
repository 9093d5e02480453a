"""The state machines, their roles and logs, and the alarm rule that starts a rollback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.core.logs import encrypted_log_group
from mlops_platform.components.workflows import iam as _policies
from mlops_platform.components.workflows._functions import document

LOG_PREFIX = "/aws/vendedlogs/states/"
"""Step Functions logs under the vended-logs prefix, which keeps the log resource policy small."""


def create_state_machine(
    children: Children,
    context: AwsContext,
    *,
    kind: str,
    definition: pulumi.Output[str],
    function_arns: Sequence[pulumi.Output[str]],
    topic: aws.sns.Topic,
    key: aws.kms.Key,
    retention_days: int,
) -> aws.sfn.StateMachine:
    """A STANDARD machine logging ALL (with execution data) to an encrypted group, traced."""
    logs = encrypted_log_group(
        children,
        f"{kind}-machine-logs",
        key=key,
        retention_days=retention_days,
        name_prefix=f"{LOG_PREFIX}{children.prefix}-{kind}-",
    )
    role = aws.iam.Role(
        children.name(f"{kind}-machine-role"),
        assume_role_policy=_iam.to_json(
            _iam.service_trust("states.amazonaws.com", context.account_id)
        ),
        tags=children.tagged(f"{kind}-machine-role"),
        opts=children.opts(),
    )
    policy = aws.iam.RolePolicy(
        children.name(f"{kind}-machine-policy"),
        role=role.id,
        policy=document(
            _policies.state_machine_policy,
            function_arns=pulumi.Output.all(*function_arns),
            topic_arn=topic.arn,
            topic_key_arn=key.arn,
        ),
        opts=children.opts(),
    )
    return aws.sfn.StateMachine(
        children.name(kind),
        type="STANDARD",
        role_arn=role.arn,
        definition=definition,
        logging_configuration={
            "level": "ALL",
            "include_execution_data": True,
            "log_destination": pulumi.Output.concat(logs.arn, ":*"),
        },
        tracing_configuration={"enabled": True},
        tags=children.tagged(kind),
        opts=children.opts(depends_on=[policy]),
    )


def create_alarm_rule(
    children: Children, *, pattern: pulumi.Output[Any], watcher: aws.lambda_.Function
) -> aws.cloudwatch.EventRule:
    """The targets' alarms entering ALARM invoke the watcher; EventBridge may, from this rule."""
    rule = aws.cloudwatch.EventRule(
        children.name("alarms"),
        description=f"Rollback alarms of {children.prefix}'s targets entering ALARM",
        event_pattern=pulumi.Output.json_dumps(pattern),
        tags=children.tagged("alarms"),
        opts=children.opts(),
    )
    aws.lambda_.Permission(
        children.name("alarms-invoke"),
        action="lambda:InvokeFunction",
        function=watcher.name,
        principal="events.amazonaws.com",
        source_arn=rule.arn,
        opts=children.opts(),
    )
    aws.cloudwatch.EventTarget(
        children.name("alarms-target"),
        rule=rule.name,
        arn=watcher.arn,
        retry_policy={"maximum_retry_attempts": 8, "maximum_event_age_in_seconds": 3600},
        opts=children.opts(),
    )
    return rule
