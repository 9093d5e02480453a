"""Who may act for the delivery plane: trust policies and least-privilege policies, as dicts.

Pure and standard-library only. Every trust names its principal exactly and every condition
uses `StringEquals`, so no document here contains a wildcard a caller could widen. The only
`"*"` resource is `ecr:GetAuthorizationToken`, which IAM cannot scope to a resource.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
"""Issuer of GitHub Actions' OIDC tokens, the prefix of its condition keys."""
STS_AUDIENCE = "sts.amazonaws.com"
"""The audience configure-aws-credentials asks GitHub for."""
_WILDCARDS = frozenset("*?")

Document = dict[str, Any]


def _exact(label: str, value: str) -> str:
    if not value or _WILDCARDS & set(value):
        raise ValueError(f"{label} must be an exact name without wildcards, got {value!r}")
    return value


def _document(*statements: Document) -> Document:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _allow(sid: str, actions: Sequence[str], resources: Iterable[str]) -> Document:
    return {"Sid": sid, "Effect": "Allow", "Action": list(actions), "Resource": list(resources)}


def _github_trust(provider_arn: str, subject: str) -> Document:
    return _document(
        {
            "Sid": "GitHubActions",
            "Effect": "Allow",
            "Principal": {"Federated": _exact("provider_arn", provider_arn)},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    f"{GITHUB_OIDC_HOST}:aud": STS_AUDIENCE,
                    f"{GITHUB_OIDC_HOST}:sub": subject,
                }
            },
        }
    )


def github_environment_trust(provider_arn: str, repository: str, environment: str) -> Document:
    """Trust of an environment's CI role: jobs of `repository` bound to GitHub `environment`.

    The subject is `repo:OWNER/NAME:environment:ENV` exactly, so only a job that declares
    `environment: ENV` (and passes that environment's protection rules) gets the role.
    """
    subject = f"repo:{_exact('repository', repository)}:environment:{_exact('env', environment)}"
    return _github_trust(provider_arn, subject)


def github_pull_request_trust(provider_arn: str, repository: str) -> Document:
    """Trust of the read-only role for pull requests (`pulumi preview`, the policy check)."""
    return _github_trust(provider_arn, f"repo:{_exact('repository', repository)}:pull_request")


def deploy_role_trust(pipeline_role_arn: str, external_id: str | None = None) -> Document:
    """Trust of the deploy role in a target account: only the pipeline's role may assume it."""
    statement: Document = {
        "Sid": "PipelineOnly",
        "Effect": "Allow",
        "Principal": {"AWS": _exact("pipeline_role_arn", pipeline_role_arn)},
        "Action": "sts:AssumeRole",
    }
    if external_id is not None:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return _document(statement)


def _logs(log_group_arn: str) -> Document:
    return _allow(
        "Logs",
        ["logs:CreateLogStream", "logs:PutLogEvents"],
        [log_group_arn, f"{log_group_arn}:log-stream:*"],
    )


def _artifacts(bucket_arn: str, kms_key_arn: str, *, write: bool) -> list[Document]:
    actions = ["s3:GetObject", "s3:GetObjectVersion"] + (["s3:PutObject"] if write else [])
    key_actions = ["kms:Decrypt"] + (["kms:GenerateDataKey"] if write else [])
    return [
        _allow("ArtifactObjects", actions, [f"{bucket_arn}/*"]),
        _allow("ArtifactBucket", ["s3:GetBucketLocation", "s3:GetBucketVersioning"], [bucket_arn]),
        _allow("ArtifactKey", key_actions, [kms_key_arn]),
    ]


def execution_arns(state_machine_arn: str) -> str:
    """The ARN pattern of every execution of one state machine."""
    return f"{state_machine_arn.replace(':stateMachine:', ':execution:', 1)}:*"


def pipeline_role_policy(
    *,
    artifact_bucket_arn: str,
    kms_key_arn: str,
    connection_arn: str,
    codebuild_project_arns: Sequence[str],
    approval_topic_arns: Sequence[str],
    deploy_role_arns: Sequence[str] = (),
    state_machine_arns: Sequence[str] = (),
    alarm_arns: Sequence[str] = (),
) -> Document:
    """The pipeline's own role: artifacts, the connection, its builds, approvals, deploy roles.

    `state_machine_arns` and `alarm_arns` are those the pipeline reaches without a deploy role
    (same account); the others are reached through `deploy_role_arns`.
    """
    statements = [
        *_artifacts(artifact_bucket_arn, kms_key_arn, write=True),
        _allow("Connection", ["codestar-connections:UseConnection"], [connection_arn]),
        _allow(
            "Builds", ["codebuild:StartBuild", "codebuild:BatchGetBuilds"], codebuild_project_arns
        ),
    ]
    if approval_topic_arns:
        statements.append(_allow("ApprovalNotice", ["sns:Publish"], approval_topic_arns))
    if deploy_role_arns:
        statements.append(_allow("DeployRoles", ["sts:AssumeRole"], deploy_role_arns))
    statements += _workflow_statements(state_machine_arns, alarm_arns)
    return _document(*statements)


def _workflow_statements(state_machines: Sequence[str], alarms: Sequence[str]) -> list[Document]:
    statements = []
    if state_machines:
        statements += [
            _allow("StartWorkflow", ["states:StartExecution"], state_machines),
            _allow(
                "WatchWorkflow",
                ["states:DescribeExecution", "states:StopExecution"],
                [execution_arns(arn) for arn in state_machines],
            ),
        ]
    if alarms:
        statements.append(_allow("ReadAlarm", ["cloudwatch:DescribeAlarms"], alarms))
    return statements


def deploy_role_policy(*, state_machine_arn: str, alarm_arn: str | None) -> Document:
    """The deploy role in a target account: start and watch the workflow, read the alarm.

    `cloudwatch:DescribeAlarms` scoped to one alarm ARN returns metric alarms only; a composite
    rollback alarm would need the action on every resource, so keep the rollback alarm a
    metric alarm.
    """
    return _document(*_workflow_statements([state_machine_arn], [alarm_arn] if alarm_arn else []))


def build_role_policy(
    *,
    repository_arn: str,
    log_group_arn: str,
    artifact_bucket_arn: str,
    kms_key_arn: str,
    secret_arns: Sequence[str] = (),
) -> Document:
    """The build project: push the serving image to its one repository, read the sources."""
    push = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:CompleteLayerUpload",
        "ecr:DescribeImages",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
    ]
    statements = [
        _logs(log_group_arn),
        *_artifacts(artifact_bucket_arn, kms_key_arn, write=True),
        _allow("RegistryLogin", ["ecr:GetAuthorizationToken"], ["*"]),
        _allow("PushImage", push, [repository_arn]),
    ]
    if secret_arns:
        statements.append(_allow("Secrets", ["secretsmanager:GetSecretValue"], secret_arns))
    return _document(*statements)


def quality_check_role_policy(
    *,
    log_group_arn: str,
    artifact_bucket_arn: str,
    kms_key_arn: str,
    model_package_group: str,
    statistics_object_arns: Sequence[str] = (),
) -> Document:
    """The test project: read the sources and the metrics of the group's packages.

    `model_package_group` is the group's ARN; its packages sit under
    `...:model-package/<group>/<version>`. `statistics_object_arns` are the S3 objects (an ARN
    with a key prefix and `*`) the packages' model-quality statistics are written to.
    """
    packages = model_package_group.replace(":model-package-group/", ":model-package/", 1) + "/*"
    statements = [
        _logs(log_group_arn),
        *_artifacts(artifact_bucket_arn, kms_key_arn, write=False),
        _allow("ReadPackage", ["sagemaker:DescribeModelPackage"], [packages]),
    ]
    if statistics_object_arns:
        statements.append(_allow("ReadStatistics", ["s3:GetObject"], statistics_object_arns))
    return _document(*statements)


def integration_role_policy(
    *, log_group_arn: str, artifact_bucket_arn: str, kms_key_arn: str, endpoint_arn: str
) -> Document:
    """The integration project: invoke the one staging endpoint it tests, nothing else."""
    return _document(
        _logs(log_group_arn),
        *_artifacts(artifact_bucket_arn, kms_key_arn, write=False),
        _allow("Invoke", ["sagemaker:InvokeEndpoint"], [endpoint_arn]),
    )


def approver_policy(*, pipeline_arn: str, stage: str, action: str = "Approve") -> Document:
    """What an approver's role gets: see the pipeline, answer its one approval action."""
    return _document(
        _allow(
            "SeePipeline",
            ["codepipeline:GetPipelineState", "codepipeline:GetPipeline"],
            [pipeline_arn],
        ),
        _allow("Approve", ["codepipeline:PutApprovalResult"], [f"{pipeline_arn}/{stage}/{action}"]),
    )


def approver_trust(approvers: Sequence[str]) -> Document:
    """Trust of a stage's approver role: exactly the IAM roles and users config names.

    Raises `ValueError` when the list is empty or an ARN has a wildcard.
    """
    if not approvers:
        raise ValueError("an approver role needs at least one approver ARN")
    principals = [_exact(f"approvers[{i}]", arn) for i, arn in enumerate(approvers)]
    return _document(
        {
            "Sid": "Approvers",
            "Effect": "Allow",
            "Principal": {"AWS": principals},
            "Action": "sts:AssumeRole",
        }
    )


def registry_trigger_policy(
    *, pipeline_arn: str, table_arn: str, log_group_arn: str, packages_arn: str
) -> Document:
    """The registry trigger Lambda: claim a package, read its artifact, start its one pipeline.

    `packages_arn` is `arn:...:model-package/<group>/*`: the packages of its own group only.
    """
    return _document(
        _allow("ReadPackage", ["sagemaker:DescribeModelPackage"], [packages_arn]),
        _logs(log_group_arn),
        _allow(
            "Claims",
            ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
            [table_arn],
        ),
        _allow("StartPipeline", ["codepipeline:StartPipelineExecution"], [pipeline_arn]),
    )
