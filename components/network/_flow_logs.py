"""VPC flow logs to a CloudWatch Logs group encrypted with its own KMS key."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core import kms as _kms
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.core.logs import encrypted_log_group

FLOW_LOG_AGGREGATION_SECONDS = 60
"""The shortest interval AWS offers, so an incident shows up within a minute."""


def log_group_prefix(component_name: str) -> str:
    """The log-group name prefix; the key policy lets CloudWatch Logs use the key under it only."""
    return f"/mlops/{component_name}/flow-logs-"


def create_flow_logs(
    children: Children, *, vpc: aws.ec2.Vpc, context: AwsContext, retention_days: int
) -> aws.cloudwatch.LogGroup:
    """Capture all of the VPC's traffic metadata in an encrypted, retained log group."""
    prefix = log_group_prefix(children.prefix)
    # The key and the log group hold the network's audit record: stateful children.
    key = _kms.encryption_key(
        children.name("flow-logs-key"),
        description=f"Encrypts the VPC flow logs of {children.prefix}",
        policy=_kms.key_policy(
            context,
            _kms.logs_may_use_key(
                context, sid="CloudWatchLogsEncryptsFlowLogs", log_group=f"{prefix}*", exact=False
            ),
        ),
        tags=children.tagged("flow-logs-key"),
        opts=children.stateful_opts(),
    )
    log_group = encrypted_log_group(
        children, "flow-logs", name_prefix=prefix, key=key, retention_days=retention_days
    )
    role = _writer_role(children, context, log_group)
    aws.ec2.FlowLog(
        children.name("flow-log"),
        vpc_id=vpc.id,
        traffic_type="ALL",
        log_destination_type="cloud-watch-logs",
        log_destination=log_group.arn,
        iam_role_arn=role.arn,
        max_aggregation_interval=FLOW_LOG_AGGREGATION_SECONDS,
        tags=children.tagged("flow-log"),
        opts=children.opts(),
    )
    return log_group


def _writer_role(
    children: Children, context: AwsContext, log_group: aws.cloudwatch.LogGroup
) -> aws.iam.Role:
    """A role VPC Flow Logs assumes, for this account only, that writes to this group only."""
    role = aws.iam.Role(
        children.name("flow-logs-role"),
        description=f"Lets VPC Flow Logs write the flow logs of {children.prefix}",
        assume_role_policy=_iam.to_json(
            _iam.service_trust("vpc-flow-logs.amazonaws.com", context.account_id)
        ),
        tags=children.tagged("flow-logs-role"),
        opts=children.opts(),
    )
    aws.iam.RolePolicy(
        children.name("flow-logs-write"),
        role=role.id,
        policy=_iam.to_json(
            _iam.document(
                {
                    "Sid": "WriteOwnLogGroupOnly",
                    "Effect": "Allow",
                    "Action": [
                        "logs:CreateLogStream",
                        "logs:PutLogEvents",
                        "logs:DescribeLogStreams",
                    ],
                    "Resource": [log_group.arn, pulumi.Output.concat(log_group.arn, ":*")],
                }
            )
        ),
        opts=children.opts(),
    )
    return role
