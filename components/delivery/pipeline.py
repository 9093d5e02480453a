"""`ModelPipeline`: one model's CodePipeline V2 from git and the registry through to prod."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, cast

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children, register_outputs
from mlops_platform.components.core.errors import raise_if_any
from mlops_platform.components.core.placement import Placement
from mlops_platform.components.delivery import (
    _approvers,
    _builds,
    _stores,
    _trigger,
    access_spec,
)
from mlops_platform.components.delivery import pipeline_spec as spec
from mlops_platform.components.delivery import provider_shape as shape
from mlops_platform.components.delivery.args import (
    DeployStage,
    ModelPipelineArgs,
    check_component_name,
)

TYPE = "mlops:delivery:ModelPipeline"
MAX_CONNECTION_NAME = 32
"""CodeStar connection names are 1-32 characters (and ForceNew)."""


def connection_name(name: str) -> str:
    """The connection's AWS name: the component's name, cut to the 32 characters allowed."""
    return re.sub(r"-+$", "", name[:MAX_CONNECTION_NAME])


def _json(build: Callable[..., dict[str, Any]], **inputs: Any) -> pulumi.Output[str]:
    """A document from a pure builder of `access_spec`, once its inputs are known."""
    return pulumi.Output.all(**inputs).apply(lambda v: json.dumps(build(**v), sort_keys=True))


class ModelPipeline(pulumi.ComponentResource):
    """Source, Build, Test, then one deploy stage per environment through the promotion workflow.

    Approved packages of the model's group start it through the registry trigger, once each;
    pushes to the branch start it through the V2 git trigger.
    """

    pipeline_name: pulumi.Output[str]
    """The pipeline's name (also the actor the workflow records)."""
    pipeline_arn: pulumi.Output[str]
    """The pipeline's ARN."""
    repository_url: pulumi.Output[str]
    """The serving image's ECR repository, where the build pushes `<commit>` tags."""
    connection_arn: pulumi.Output[str]
    """The CodeStar connection (PENDING until an owner installs the GitHub app)."""
    artifacts_bucket: pulumi.Output[str]
    """The artifacts bucket."""
    key_arn: pulumi.Output[str]
    """The pipeline's KMS key."""
    approval_topic_arn: pulumi.Output[str] | None
    """The topic approvals notify; None when no stage has an approval."""
    deploy_project_names: pulumi.Output[dict[str, str]]
    """The `pulumi up` project of each environment (the apply function's `CODEBUILD_PROJECT`)."""
    approver_policy_arns: pulumi.Output[dict[str, str]]
    """Per stage with an approval, the policy that answers its approval (on the approver role)."""
    approver_role_arns: pulumi.Output[dict[str, str]]
    """Per stage with an approval, the role config's approvers assume to answer it."""
    trigger_function_name: pulumi.Output[str]
    """The registry trigger."""
    dedupe_table_name: pulumi.Output[str]
    """The registry trigger's claims, one item per package ARN that started a run."""

    def __init__(
        self,
        name: str,
        args: ModelPipelineArgs,
        placement: Placement | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Create the pipeline; deploy projects run in `placement` when given (private APIs)."""
        raise_if_any("ModelPipeline", check_component_name(name))
        super().__init__(TYPE, name, None, opts)
        children = Children(name, self, args.tags, args.protect_data)
        context = AwsContext.of(self)
        key = _stores.create_key(children, context)
        bucket = _stores.create_artifacts_bucket(children, key)
        builds_log = _stores.create_log_group(children, "builds", key, args.log_retention_days)
        trigger_log = _stores.create_log_group(children, "trigger", key, args.log_retention_days)
        repository = _stores.create_repository(children, key)
        connection = self._connection(children, name, args)
        settings = args.settings
        shared = _builds.Shared(
            context, key, bucket, builds_log, settings.build_image, settings.compute_type
        )
        topic = None
        if any(stage.approval for stage in args.stages):
            topic = _stores.create_approval_topic(children, key, settings.subscribers)
        common = {
            "log_group_arn": builds_log.arn,
            "artifact_bucket_arn": bucket.arn,
            "kms_key_arn": key.arn,
        }
        build = _builds.create_project(
            children, "build", shared,
            _builds.create_role(children, "build", "codebuild.amazonaws.com", context,
                                _json(access_spec.build_role_policy, repository_arn=repository.arn,
                                      **common)),
            {"ECR_REPOSITORY_URI": repository.repository_url},
            privileged=True,  # docker build; allowed by name in the policy config
        )  # fmt: skip
        test = self._test_project(
            children, context=context, shared=shared, args=args, common=common
        )
        integrations = {
            stage.environment: self._integration(
                children, context=context, shared=shared, args=args, stage=stage, common=common
            )
            for stage in args.stages
            if stage.integration_endpoint_name is not None
        }
        deploys = {
            stage.environment: _builds.create_project(
                children, f"deploy-{stage.environment}", shared,
                _builds.create_role(
                    children, f"deploy-{stage.environment}", "codebuild.amazonaws.com", context,
                    _builds.deploy_policy(shared, stack_role_arn=stage.stack_role_arn,
                                          connection_arn=connection, placement=placement),
                ),
                {"STACK": stage.environment},
                source={
                    "type": "GITHUB",
                    "location": f"https://github.com/{args.platform_repository}.git",
                    "auth": {"type": "CODECONNECTIONS", "resource": connection},
                },
                placement=placement,
            )
            for stage in args.stages
        }  # fmt: skip
        projects = [build, test, *integrations.values()]
        role = self._pipeline_role(
            children, context=context, args=args, bucket=bucket, key=key,
            connection=connection, projects=projects, topic=topic,
        )  # fmt: skip
        pipeline = self._pipeline(
            children, args=args, role=role, bucket=bucket, key=key, connection=connection,
            build=build, test=test, integrations=integrations, topic=topic,
        )  # fmt: skip
        _, function, table = _trigger.create_trigger(
            children, context, key=key, log_group=trigger_log, pipeline=pipeline,
            model_package_group=args.model_package_group,
        )  # fmt: skip
        approvers = {
            stage.environment: _approvers.create_approver_role(
                children, pipeline=name, pipeline_arn=pipeline.arn, stage=stage.environment,
                approvers=settings.approvers,
            )
            for stage in args.stages
            if stage.approval
        }  # fmt: skip
        self.pipeline_name = pipeline.name
        self.pipeline_arn = pipeline.arn
        self.repository_url = repository.repository_url
        self.connection_arn = pulumi.Output.from_input(connection)
        self.artifacts_bucket = bucket.bucket
        self.key_arn = key.arn
        self.approval_topic_arn = topic.arn if topic is not None else None
        self.deploy_project_names = pulumi.Output.all(**{e: p.name for e, p in deploys.items()})
        self.approver_policy_arns = pulumi.Output.all(
            **{env: policy.arn for env, (_, policy) in approvers.items()}
        )
        self.approver_role_arns = pulumi.Output.all(
            **{env: role.arn for env, (role, _) in approvers.items()}
        )
        self.trigger_function_name = function.name
        self.dedupe_table_name = table.name
        register_outputs(self, OUTPUTS)

    def _connection(
        self, children: Children, name: str, args: ModelPipelineArgs
    ) -> pulumi.Input[str]:
        if args.connection_arn is not None:
            return args.connection_arn
        return aws.codestarconnections.Connection(
            children.name("git"),
            name=connection_name(name),  # 1-32 characters, ForceNew: kept stable
            provider_type="GitHub",
            tags=children.tagged("git"),
            opts=children.opts(),
        ).arn

    def _test_project(
        self,
        children: Children,
        *,
        context: AwsContext,
        shared: _builds.Shared,
        args: ModelPipelineArgs,
        common: dict[str, Any],
    ) -> aws.codebuild.Project:
        group_arn = pulumi.Output.concat(
            "arn:", context.partition, ":sagemaker:", context.region, ":", context.account_id,
            ":model-package-group/", args.model_package_group,
        )  # fmt: skip
        statistics = []
        if args.statistics_prefix is not None:
            path = args.statistics_prefix.removeprefix("s3://")
            statistics = [pulumi.Output.concat("arn:", context.partition, ":s3:::", path, "*")]
        policy = _json(
            access_spec.quality_check_role_policy,
            model_package_group=group_arn,
            statistics_object_arns=statistics,
            **common,
        )
        role = _builds.create_role(children, "test", "codebuild.amazonaws.com", context, policy)
        variables = {
            "TEST_COMMANDS": "\n".join(args.settings.test_commands),
            "QUALITY_METRIC": args.quality_metric,
            "QUALITY_MINIMUM": str(args.quality_minimum),
        }
        return _builds.create_project(children, "test", shared, role, variables)

    def _integration(
        self,
        children: Children,
        *,
        context: AwsContext,
        shared: _builds.Shared,
        args: ModelPipelineArgs,
        stage: DeployStage,
        common: dict[str, Any],
    ) -> aws.codebuild.Project:
        part = f"integration-{stage.environment}"
        policy = _json(
            access_spec.integration_role_policy,
            endpoint_arn=stage.integration_endpoint_arn,
            **common,
        )
        role = _builds.create_role(children, part, "codebuild.amazonaws.com", context, policy)
        variables: dict[str, pulumi.Input[str]] = {
            "ENDPOINT_NAME": stage.integration_endpoint_name or "",
            "LATENCY_BUDGET_MS": str(args.latency_budget_ms),
        }
        return _builds.create_project(children, part, shared, role, variables)

    def _pipeline_role(
        self,
        children: Children,
        *,
        context: AwsContext,
        args: ModelPipelineArgs,
        bucket: aws.s3.Bucket,
        key: aws.kms.Key,
        connection: pulumi.Input[str],
        projects: list[aws.codebuild.Project],
        topic: aws.sns.Topic | None,
    ) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
        stages = args.stages
        policy = _json(
            access_spec.pipeline_role_policy,
            artifact_bucket_arn=bucket.arn,
            kms_key_arn=key.arn,
            connection_arn=connection,
            codebuild_project_arns=[p.arn for p in projects],
            approval_topic_arns=[topic.arn] if topic is not None else [],
            deploy_role_arns=[s.deploy_role_arn for s in stages if s.deploy_role_arn],
            state_machine_arns=[
                s.promotion_state_machine_arn for s in stages if not s.deploy_role_arn
            ],
            alarm_arns=[
                s.rollback_alarm_arn
                for s in stages
                if s.rollback_alarm_arn and not s.deploy_role_arn
            ],
        )
        return _builds.create_role(
            children, "pipeline", "codepipeline.amazonaws.com", context, policy
        )

    def _pipeline(
        self,
        children: Children,
        *,
        args: ModelPipelineArgs,
        role: tuple[aws.iam.Role, aws.iam.RolePolicy],
        bucket: aws.s3.Bucket,
        key: aws.kms.Key,
        connection: pulumi.Input[str],
        build: aws.codebuild.Project,
        test: aws.codebuild.Project,
        integrations: dict[str, aws.codebuild.Project],
        topic: aws.sns.Topic | None,
    ) -> aws.codepipeline.Pipeline:
        stages = list(args.stages)
        values = {
            "role": role[0].arn, "bucket": bucket.bucket, "key": key.arn,
            "connection": connection, "build": build.name, "test": test.name,
            "topic": topic.arn if topic is not None else "",
            "machines": [s.promotion_state_machine_arn for s in stages],
            "deploy_roles": [s.deploy_role_arn or "" for s in stages],
            "alarms": [s.rollback_alarm_name or "" for s in stages],
            "endpoints": [s.endpoint_name for s in stages],
            "bake_alarms": [s.bake_alarm_names for s in stages],
            "integrations": {e: p.name for e, p in integrations.items()},
        }  # fmt: skip
        declaration: pulumi.Output[Any] = pulumi.Output.all(**values).apply(
            lambda v: spec.pipeline_declaration(_pipeline_spec(children.prefix, args, v))
        )
        return aws.codepipeline.Pipeline(
            children.name("pipeline"),
            name=children.prefix,  # ForceNew; the workflow and the approvals name it
            pipeline_type="V2",
            execution_mode="QUEUED",
            role_arn=role[0].arn,
            artifact_stores=[declaration.apply(lambda d: cast(Any, shape.artifact_store(d)))],
            stages=declaration.apply(lambda d: cast(Any, shape.stages(d))),
            triggers=declaration.apply(lambda d: cast(Any, shape.triggers(d))),
            variables=declaration.apply(lambda d: cast(Any, shape.variables(d))),
            tags=children.tagged("pipeline"),
            opts=children.opts(depends_on=[role[1]]),
        )


def _pipeline_spec(name: str, args: ModelPipelineArgs, v: dict[str, Any]) -> spec.PipelineSpec:
    """The pure spec of the pipeline once every ARN and name is known."""
    stages = [
        spec.DeployStageSpec(
            environment=stage.environment,
            target=stage.target,
            state_machine_arn=v["machines"][index],
            action_role_arn=v["deploy_roles"][index] or None,
            approval_topic_arn=v["topic"] if stage.approval else None,
            rollback_alarm=v["alarms"][index] or None,
            alarm_wait_minutes=stage.alarm_wait_minutes,
            integration_project=v["integrations"].get(stage.environment),
            endpoint_name=v["endpoints"][index],
            variants=tuple(stage.variants),
            bake_alarm_names=tuple(v["bake_alarms"][index]),
            promotion=stage.promotion,
        )
        for index, stage in enumerate(args.stages)
    ]
    return spec.PipelineSpec(
        name=name,
        role_arn=v["role"],
        artifact_bucket=v["bucket"],
        kms_key_arn=v["key"],
        connection_arn=v["connection"],
        repository=args.settings.repository,
        branch=args.settings.branch,
        build_project=v["build"],
        test_project=v["test"],
        stages=stages,
    )


OUTPUTS = (
    "pipeline_name",
    "pipeline_arn",
    "repository_url",
    "connection_arn",
    "artifacts_bucket",
    "key_arn",
    "approval_topic_arn",
    "deploy_project_names",
    "approver_policy_arns",
    "approver_role_arns",
    "trigger_function_name",
    "dedupe_table_name",
)
"""The outputs every ModelPipeline registers, in the order of its annotations."""
