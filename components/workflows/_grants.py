"""Each function's least-privilege documents and environment, and the training jobs' role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.workflows import iam as _policies
from mlops_platform.components.workflows._functions import FunctionNetwork, FunctionSpec, document
from mlops_platform.components.workflows.args import (
    PromotionWorkflowsArgs,
    s3_arn,
    service_targets,
)


def training_job_role(
    children: Children, context: AwsContext, args: PromotionWorkflowsArgs
) -> aws.iam.Role:
    """The role SageMaker training jobs run with: the targets' artifacts and the job logs."""
    role = aws.iam.Role(
        children.name("training-job-role"),
        assume_role_policy=_iam.to_json(
            _iam.service_trust("sagemaker.amazonaws.com", context.account_id)
        ),
        tags=children.tagged("training-job-role"),
        opts=children.opts(),
    )
    objects = [s3_arn(target.artifact_prefix) for target in args.targets]
    buckets = sorted({s3_arn(t.artifact_prefix.split("/", 3)[2] + "/", "") for t in args.targets})
    policy = _iam.document(
        {"Sid": "Artifacts", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
         "Resource": objects},
        {"Sid": "ListArtifacts", "Effect": "Allow", "Action": "s3:ListBucket",
         "Resource": [b.removesuffix("/") for b in buckets]},
        {"Sid": "JobLogs", "Effect": "Allow",
         "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": context.arn("logs", "log-group:/aws/sagemaker/TrainingJobs*")},
    )  # fmt: skip
    aws.iam.RolePolicy(
        children.name("training-job-policy"),
        role=role.id,
        policy=_iam.to_json(policy),
        opts=children.opts(),
    )
    return role


def _eks_targets(args: PromotionWorkflowsArgs) -> dict[str, pulumi.Input[str]]:
    """The verifier's `EKS_TARGETS`: each EKS target's cluster, namespace and Rollout.

    `ModelService` names its Rollout after its namespace. No variable without EKS targets.
    """
    services = {
        target.name: {"cluster_name": target.service.cluster.cluster_name,
                      "namespace": target.service.namespace, "rollout": target.service.namespace}
        for target in args.targets
        if target.service is not None
    }  # fmt: skip
    return {"EKS_TARGETS": pulumi.Output.json_dumps(services)} if services else {}


def function_specs(
    args: PromotionWorkflowsArgs,
    context: AwsContext,
    *,
    ledger: aws.dynamodb.Table,
    locks: aws.dynamodb.Table,
    project: aws.codebuild.Project,
    alarm_arns: pulumi.Output[list[str]],
    training_role: aws.iam.Role,
    verify_network: FunctionNetwork | None = None,
) -> list[FunctionSpec]:
    """The eleven functions: what each may touch and the variables its handler reads.

    With EKS targets the verifier runs in `verify_network` and may describe their cluster.
    """
    where = {"region": context.region, "account": context.account_id}
    env = args.environment
    parameter = pulumi.Output.all(context.region, context.account_id).apply(
        lambda v: _policies.release_parameter_arn(v[0], v[1], env)
    )
    groups = [target.package_group for target in args.targets]

    def per_group(
        build: Callable[..., _policies.Document], **extra: Any
    ) -> list[pulumi.Output[str]]:
        return [document(build, package_group=group, **where, **extra) for group in groups]

    lock_env = {"LOCK_TABLE": locks.name}
    services = service_targets(args.targets)
    cluster_arn = services[0].cluster.cluster_arn if services else ""
    return [
        FunctionSpec("intake", [], {}),
        FunctionSpec("lock", [document(_policies.lock_function_policy, lock_table_arn=locks.arn)],
                     lock_env),
        FunctionSpec("ledger",
                     [document(_policies.ledger_writer_policy, ledger_table_arn=ledger.arn)],
                     {"LEDGER_TABLE": ledger.name}),
        FunctionSpec("release", per_group(_policies.release_function_policy,
                                          parameter_arn=parameter), {}),
        FunctionSpec("apply", [document(_policies.apply_function_policy,
                                        codebuild_project_arn=project.arn)],
                     {"CODEBUILD_PROJECT": project.name}),
        FunctionSpec("verify", [document(_policies.verify_function_policy,
                                         parameter_arn=parameter, cluster_arn=cluster_arn,
                                         **where)], _eks_targets(args), network=verify_network),
        FunctionSpec("bake", [document(_policies.bake_function_policy, lock_table_arn=locks.arn,
                                       alarm_arns=alarm_arns)], lock_env),
        FunctionSpec("training", [
            document(_policies.training_function_policy, data_arns=[s3_arn(t.artifact_prefix)],
                     output_arn=s3_arn(t.artifact_prefix), training_role_arn=training_role.arn,
                     package_group=t.package_group, **where)
            for t in args.targets
        ], {"TRAINING_ROLE_ARN": training_role.arn}, timeout_seconds=300),
        FunctionSpec("gate", per_group(_policies.gate_function_policy), {}),
        FunctionSpec("rollback_trigger", [
            document(_policies.rollback_trigger_policy, lock_table_arn=locks.arn,
                     alarm_arns=alarm_arns, parameter_arn=parameter)
        ], lock_env, reserved_concurrency=args.watcher_concurrency),
        FunctionSpec("approval", [document(_policies.approval_function_policy, env=env, **where)],
                     {}),
    ]  # fmt: skip
