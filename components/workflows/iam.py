"""Least-privilege IAM policy documents for the workflows' roles, as plain dicts.

Each function takes the ARNs its role may touch and returns a policy document; the component
serialises it with `pulumi.Output.json_dumps`. Every function role also gets
`function_logs_policy` for its own log group and X-Ray.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Document = dict[str, Any]


def _allow(
    sid: str, actions: Sequence[str], resources: Sequence[str], **extra: Any
) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Action": sorted(actions),
        "Resource": list(resources),
        **extra,
    }


def _document(*statements: dict[str, Any]) -> Document:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def release_parameter_arn(region: str, account: str, env: str) -> str:
    """ARN pattern of every release record of `env` (SSM parameters `/mlops/<env>/release/*`)."""
    return f"arn:aws:ssm:{region}:{account}:parameter/mlops/{env}/release/*"


def sagemaker_arn(region: str, account: str, kind: str, name: str = "*") -> str:
    """ARN of a SageMaker resource (`endpoint`, `endpoint-config`, `model`, `model-package`...)."""
    return f"arn:aws:sagemaker:{region}:{account}:{kind}/{name}"


def state_machine_policy(
    function_arns: Sequence[str], topic_arn: str, topic_key_arn: str = ""
) -> Document:
    """The state machine role: invoke its functions, publish to its topic, logs and X-Ray.

    The log-delivery and X-Ray actions do not support resource-level permissions, hence `*`.
    """
    statements = [
        _allow(
            "InvokeFunctions",
            ["lambda:InvokeFunction"],
            [*function_arns, *(f"{a}:*" for a in function_arns)],
        ),
        _allow("Notify", ["sns:Publish"], [topic_arn]),
        _allow(
            "LogDelivery",
            [
                "logs:CreateLogDelivery",
                "logs:DeleteLogDelivery",
                "logs:DescribeLogGroups",
                "logs:DescribeResourcePolicies",
                "logs:GetLogDelivery",
                "logs:ListLogDeliveries",
                "logs:PutResourcePolicy",
                "logs:UpdateLogDelivery",
            ],
            ["*"],
        ),
        _allow(
            "Tracing",
            [
                "xray:GetSamplingRules",
                "xray:GetSamplingTargets",
                "xray:PutTelemetryRecords",
                "xray:PutTraceSegments",
            ],
            ["*"],
        ),
    ]
    if topic_key_arn:
        statements.append(
            _allow("EncryptedTopic", ["kms:Decrypt", "kms:GenerateDataKey"], [topic_key_arn])
        )
    return _document(*statements)


TRACING_ACTIONS = ("xray:PutTelemetryRecords", "xray:PutTraceSegments")
"""What a function with active tracing needs to send its segments to X-Ray."""


def function_logs_policy(log_group_arn: str) -> Document:
    """Any function role: write to its own log group only, and send its traces to X-Ray.

    The X-Ray write actions support no resource-level permissions: AWS requires `*` (the
    same grant as the managed `AWSXRayDaemonWriteAccess` policy), so `*` is not a loosening.
    """
    return _document(
        _allow(
            "OwnLogs",
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            [log_group_arn, f"{log_group_arn}:*"],
        ),
        # X-Ray: no resource-level permissions exist for these actions; "*" is what AWS requires.
        _allow("Tracing", TRACING_ACTIONS, ["*"]),
    )


def ledger_writer_policy(ledger_table_arn: str) -> Document:
    """The ledger function: PutItem only; updates, deletes and batch writes are denied outright.

    IAM has no condition key that can require a `ConditionExpression`, so the handler always
    writes with `attribute_not_exists(pk)` and its keys are unique per execution and step; the
    explicit Deny keeps any other write path closed even if another policy grants it.
    """
    return _document(
        _allow("Append", ["dynamodb:PutItem"], [ledger_table_arn]),
        {
            "Sid": "NeverRewrite",
            "Effect": "Deny",
            "Action": [
                "dynamodb:BatchWriteItem",
                "dynamodb:DeleteItem",
                "dynamodb:DeleteTable",
                "dynamodb:PartiQLDelete",
                "dynamodb:PartiQLInsert",
                "dynamodb:PartiQLUpdate",
                "dynamodb:UpdateItem",
                "dynamodb:UpdateTable",
            ],
            "Resource": [ledger_table_arn, f"{ledger_table_arn}/*"],
        },
    )


def lock_function_policy(lock_table_arn: str) -> Document:
    """The lock function: conditional put, consistent get and conditional delete of locks."""
    return _document(
        _allow(
            "Lock",
            ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"],
            [lock_table_arn],
            Condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["lock#*"]}},
        )
    )


def release_function_policy(
    parameter_arn: str, region: str, account: str, package_group: str
) -> Document:
    """The release function: release records, the serving endpoint, and serving marks.

    Reads, writes and removes release records, describes endpoints, and marks the group's
    packages as serving (`serving:<env>` in their customer metadata).
    """
    return _document(
        _allow(
            "Records",
            ["ssm:DeleteParameter", "ssm:GetParameter", "ssm:PutParameter"],
            [parameter_arn],
        ),
        _allow(
            "Serving", ["sagemaker:DescribeEndpoint"], [sagemaker_arn(region, account, "endpoint")]
        ),
        _allow(
            "MarkServing",
            ["sagemaker:DescribeModelPackage", "sagemaker:UpdateModelPackage"],
            [sagemaker_arn(region, account, "model-package", f"{package_group}/*")],
        ),
    )


def apply_function_policy(codebuild_project_arn: str) -> Document:
    """The apply function: start and read builds of the environment's deploy project only."""
    return _document(
        _allow(
            "Deploy", ["codebuild:BatchGetBuilds", "codebuild:StartBuild"], [codebuild_project_arn]
        )
    )


def _describe_serving(region: str, account: str) -> dict[str, Any]:
    return _allow(
        "DescribeServing",
        [
            "sagemaker:DescribeEndpoint",
            "sagemaker:DescribeEndpointConfig",
            "sagemaker:DescribeModel",
        ],
        [sagemaker_arn(region, account, kind) for kind in ("endpoint", "endpoint-config", "model")],
    )


def verify_function_policy(
    parameter_arn: str, region: str, account: str, cluster_arn: str = ""
) -> Document:
    """The verify function: read release records and describe what the endpoint serves.

    With EKS targets it may describe their one cluster (its endpoint and CA); what it may read
    inside the cluster is its access entry's business.
    """
    statements = [
        _allow("Records", ["ssm:GetParameter"], [parameter_arn]),
        _describe_serving(region, account),
    ]
    if cluster_arn:
        statements.append(_allow("DescribeCluster", ["eks:DescribeCluster"], [cluster_arn]))
    return _document(*statements)


VPC_ACCESS_ACTIONS = (
    "ec2:AssignPrivateIpAddresses",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:UnassignPrivateIpAddresses",
)
"""What Lambda needs to place a function's network interfaces in a VPC (the actions of the
managed `AWSLambdaVPCAccessExecutionRole`)."""


def function_vpc_policy() -> Document:
    """A function in the VPC: manage its own network interfaces.

    The Describe actions support no resource-level permissions and Lambda creates the
    interfaces with the function's role before their ARNs exist, so AWS requires `*` here,
    as in `AWSLambdaVPCAccessExecutionRole`.
    """
    return _document(_allow("NetworkInterfaces", VPC_ACCESS_ACTIONS, ["*"]))


def bake_function_policy(lock_table_arn: str, alarm_arns: Sequence[str]) -> Document:
    """The bake function: read the target's alarms; claim and read incidents."""
    return _document(
        _allow("Alarms", ["cloudwatch:DescribeAlarms"], alarm_arns),
        _allow(
            "Incidents",
            ["dynamodb:GetItem", "dynamodb:PutItem"],
            [lock_table_arn],
            Condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["incident#*"]}},
        ),
    )


def rollback_trigger_policy(
    lock_table_arn: str, alarm_arns: Sequence[str], parameter_arn: str
) -> Document:
    """The alarm watcher: read alarm tags, release records and locks; claim incidents (put only)."""
    return _document(
        _allow("AlarmTags", ["cloudwatch:ListTagsForResource"], alarm_arns),
        _allow("Records", ["ssm:GetParameter"], [parameter_arn]),
        _allow(
            "ReadLocks",
            ["dynamodb:GetItem"],
            [lock_table_arn],
            Condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["lock#*"]}},
        ),
        _allow(
            "Incidents",
            ["dynamodb:PutItem"],
            [lock_table_arn],
            Condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["incident#*"]}},
        ),
    )


def gate_function_policy(region: str, account: str, package_group: str) -> Document:
    """The gate: follow the live endpoint to its model package and read the package."""
    return _document(
        _describe_serving(region, account),
        _allow(
            "Champion",
            ["sagemaker:DescribeModelPackage"],
            [sagemaker_arn(region, account, "model-package", f"{package_group}/*")],
        ),
    )


def training_function_policy(
    *,
    data_arns: Sequence[str],
    output_arn: str,
    training_role_arn: str,
    region: str,
    account: str,
    package_group: str,
) -> Document:
    """The training function: read data and reports, run jobs, pass the training role, register."""
    return _document(
        _allow("ReadData", ["s3:GetObject"], [*data_arns, output_arn]),
        _allow(
            "Train",
            ["sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob"],
            [sagemaker_arn(region, account, "training-job")],
        ),
        _allow(
            "PassTrainingRole",
            ["iam:PassRole"],
            [training_role_arn],
            Condition={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
        ),
        _allow(
            "Register",
            ["sagemaker:CreateModelPackage"],
            [
                sagemaker_arn(region, account, "model-package-group", package_group),
                sagemaker_arn(region, account, "model-package", f"{package_group}/*"),
            ],
        ),
    )


def approval_function_policy(region: str, account: str, env: str) -> Document:
    """The approval reader: list action executions of the environment's own pipelines only.

    Pipelines are named `<env>-<model>-cd`, so `<env>-*` admits every pipeline of this
    environment and none of another: an input naming another environment's pipeline (or
    someone else's) cannot borrow its approvals. `ListActionExecutions` is read-only and
    the reader needs nothing else (not `GetPipelineState`, not `PutApprovalResult`).
    """
    return _document(
        _allow(
            "ReadPipelineApprovals",
            ["codepipeline:ListActionExecutions"],
            [f"arn:aws:codepipeline:{region}:{account}:{env}-*"],
        )
    )
