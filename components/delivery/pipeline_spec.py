"""The delivery pipeline of one model as plain data: stages, actions, conditions, event pattern.

Everything here is pure and uses the standard library only: it takes names and ARNs and returns
the documents AWS expects, in the shape of the CodePipeline V2 `CreatePipeline` API (camelCase),
so the component only has to map them onto resources and tests can read them directly.

A run carries the approved model package in the pipeline variables `PackageArn`,
`PackageVersion` and `ModelDataUrl`, which the registry trigger sets from the package (its
`DescribeModelPackage`). A run started by a git push keeps the defaults (`current`, `0`,
`current`): it builds and tests the image, and its deploy stops at the workflow's intake
(`release.version = 0`) before anything is locked or written; promote a package to deploy.
The deploy action's input is `deploy_input.action_input`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlops_platform.components.delivery.deploy_input import (
    APPROVAL_ACTION,
    BUILD_ARTIFACT,
    BUILD_NAMESPACE,
    CURRENT_PACKAGE,
    MODEL_DATA_VARIABLE,
    NO_VERSION,
    PACKAGE_VARIABLE,
    SOURCE_ARTIFACT,
    SOURCE_NAMESPACE,
    VERSION_VARIABLE,
    DeployTarget,
    PromotionSettings,
    ReleaseVariant,
    action_input,
)

__all__ = [
    "PACKAGE_VARIABLE",
    "DeployStageSpec",
    "PipelineSpec",
    "PromotionSettings",
    "ReleaseVariant",
    "approved_package_pattern",
    "buildspec",
    "deploy_target",
    "pipeline_declaration",
]

MODEL_PACKAGE_EVENT = "SageMaker Model Package State Change"
BUILDSPECS = ("build", "test", "integration", "deploy")
"""The buildspec files shipped beside this module, in `buildspecs/<name>.yml`."""


def buildspec(name: str) -> str:
    """The text of one shipped buildspec, for a CodeBuild project's `source.buildspec`."""
    if name not in BUILDSPECS:
        raise ValueError(f"no buildspec {name!r}; the buildspecs are {', '.join(BUILDSPECS)}")
    return (Path(__file__).parent / "buildspecs" / f"{name}.yml").read_text(encoding="utf-8")


@dataclass(frozen=True, kw_only=True)
class DeployStageSpec:
    """One environment the pipeline deploys to, in order (staging before prod)."""

    environment: str
    """Environment name (`staging`, `prod`); also the stage's name."""
    target: str
    """The endpoint variant or model service the release record is kept for."""
    state_machine_arn: str
    """The promotion workflow the deploy action starts."""
    action_role_arn: str | None = None
    """Deploy role in the environment's account that the actions assume; None: the pipeline's."""
    region: str | None = None
    """Region of the state machine and alarm; None: the pipeline's region."""
    approval_topic_arn: str | None = None
    """SNS topic a manual approval notifies; None: no approval (allowed outside prod)."""
    rollback_alarm: str | None = None
    """The endpoint's alarm: it blocks entry, and rolls the stage back after a deploy."""
    alarm_wait_minutes: int = 30
    """How long after a successful deploy the alarm is watched before the stage completes."""
    integration_project: str | None = None
    """CodeBuild project that invokes the deployed target; None: no integration test."""
    endpoint_name: str = ""
    """The live endpoint the target is served by (the release record's `endpoint_name`)."""
    variants: Sequence[ReleaseVariant] = ()
    """The target's variants the record expects live; empty: not checked."""
    bake_alarm_names: Sequence[str] = ()
    """The alarms the workflow watches while baking (the endpoint's rollback alarms)."""
    promotion: PromotionSettings = field(default_factory=PromotionSettings)
    """Approval, bake, polling and lock settings of the workflow's run."""


@dataclass(frozen=True, kw_only=True)
class PipelineSpec:
    """What the pipeline of one model is made of."""

    name: str
    """Pipeline name (also the actor recorded by the workflow)."""
    role_arn: str
    """The pipeline's service role."""
    artifact_bucket: str
    """Artifacts bucket name."""
    kms_key_arn: str
    """Key the artifacts are encrypted with."""
    connection_arn: str
    """CodeStar connection to the git host."""
    repository: str
    """`owner/name` of the model's repository."""
    branch: str
    """Branch whose pushes start the pipeline."""
    build_project: str
    """CodeBuild project that builds and pushes the serving image."""
    test_project: str
    """CodeBuild project that runs the unit tests and the model quality check."""
    stages: Sequence[DeployStageSpec]
    """Deploy environments in promotion order."""


def _action(
    name: str, category: str, provider: str, configuration: Mapping[str, str], **extra: Any
) -> dict[str, Any]:
    action: dict[str, Any] = {
        "name": name,
        "actionTypeId": {
            "category": category,
            "owner": "AWS",
            "provider": provider,
            "version": "1",
        },
        "configuration": dict(configuration),
        "runOrder": extra.pop("run_order", 1),
    }
    for key, value in extra.items():
        if value is not None:
            action[key] = value
    return action


def _artifacts(*names: str) -> list[dict[str, str]]:
    return [{"name": name} for name in names]


def _codebuild_env(variables: Mapping[str, str]) -> str:
    return json.dumps(
        [{"name": key, "value": value, "type": "PLAINTEXT"} for key, value in variables.items()]
    )


def _source_stage(spec: PipelineSpec) -> dict[str, Any]:
    source = _action(
        "Source",
        "Source",
        "CodeStarSourceConnection",
        {
            "ConnectionArn": spec.connection_arn,
            "FullRepositoryId": spec.repository,
            "BranchName": spec.branch,
            "OutputArtifactFormat": "CODE_ZIP",
            "DetectChanges": "false",
        },
        outputArtifacts=_artifacts(SOURCE_ARTIFACT),
        namespace=SOURCE_NAMESPACE,
    )
    return {"name": "Source", "actions": [source]}


def _build_stages(spec: PipelineSpec) -> list[dict[str, Any]]:
    common = {"PACKAGE_ARN": f"#{{variables.{PACKAGE_VARIABLE}}}"}
    build = _action(
        "Build",
        "Build",
        "CodeBuild",
        {
            "ProjectName": spec.build_project,
            "EnvironmentVariables": _codebuild_env(
                {**common, "COMMIT_ID": f"#{{{SOURCE_NAMESPACE}.CommitId}}"}
            ),
        },
        inputArtifacts=_artifacts(SOURCE_ARTIFACT),
        outputArtifacts=_artifacts(BUILD_ARTIFACT),
        namespace=BUILD_NAMESPACE,
    )
    test = _action(
        "Test",
        "Test",
        "CodeBuild",
        {"ProjectName": spec.test_project, "EnvironmentVariables": _codebuild_env(common)},
        inputArtifacts=_artifacts(SOURCE_ARTIFACT),
    )
    return [{"name": "Build", "actions": [build]}, {"name": "Test", "actions": [test]}]


def deploy_target(stage: DeployStageSpec) -> DeployTarget:
    """What the stage's deploy action promotes, for `deploy_input.action_input`."""
    return DeployTarget(
        environment=stage.environment,
        target=stage.target,
        endpoint_name=stage.endpoint_name,
        variants=stage.variants,
        alarm_names=stage.bake_alarm_names,
        settings=stage.promotion,
        pipeline_approval=stage.approval_topic_arn is not None,
    )


def _alarm_rule(name: str, stage: DeployStageSpec, wait_minutes: int | None) -> dict[str, Any]:
    configuration = {"AlarmName": str(stage.rollback_alarm), "AlarmStates": "ALARM"}
    if wait_minutes is not None:
        configuration["WaitTime"] = str(wait_minutes)
    rule: dict[str, Any] = {
        "name": name,
        "ruleTypeId": {
            "category": "Rule",
            "owner": "AWS",
            "provider": "CloudWatchAlarm",
            "version": "1",
        },
        "configuration": configuration,
    }
    if stage.action_role_arn:
        rule["roleArn"] = stage.action_role_arn
    if stage.region:
        rule["region"] = stage.region
    return rule


def _conditions(stage: DeployStageSpec) -> dict[str, Any]:
    if stage.rollback_alarm is None:
        return {}
    return {
        "beforeEntry": {
            "conditions": [{"result": "FAIL", "rules": [_alarm_rule("AlarmClear", stage, None)]}]
        },
        "onSuccess": {
            "conditions": [
                {
                    "result": "ROLLBACK",
                    "rules": [_alarm_rule("AlarmAfterDeploy", stage, stage.alarm_wait_minutes)],
                }
            ]
        },
        "onFailure": {"result": "ROLLBACK"},
    }


def _deploy_stage(pipeline: str, stage: DeployStageSpec) -> dict[str, Any]:
    cross = {"roleArn": stage.action_role_arn, "region": stage.region}
    actions: list[dict[str, Any]] = []
    if stage.approval_topic_arn is not None:
        custom = (
            f"Approve {pipeline} for {stage.environment}: package #{{variables.{PACKAGE_VARIABLE}}}"
            f", image #{{{BUILD_NAMESPACE}.IMAGE_DIGEST}}. Your comment is kept in the ledger."
        )
        config = {"NotificationArn": stage.approval_topic_arn, "CustomData": custom}
        actions.append(_action(APPROVAL_ACTION, "Approval", "Manual", config, run_order=1))
    deploy_config = {
        "StateMachineArn": stage.state_machine_arn,
        "ExecutionNamePrefix": f"{stage.environment}-deploy",
        "InputType": "Literal",
        "Input": action_input(pipeline, deploy_target(stage)),
    }
    actions.append(
        _action("Deploy", "Invoke", "StepFunctions", deploy_config, run_order=2, **cross)
    )
    if stage.integration_project is not None:
        env = _codebuild_env(
            {"TARGET": stage.target, "PACKAGE_ARN": f"#{{variables.{PACKAGE_VARIABLE}}}"}
        )
        config = {"ProjectName": stage.integration_project, "EnvironmentVariables": env}
        actions.append(
            _action(
                "IntegrationTest",
                "Test",
                "CodeBuild",
                config,
                run_order=3,
                inputArtifacts=_artifacts(SOURCE_ARTIFACT),
            )
        )
    return {"name": stage.environment, "actions": actions, **_conditions(stage)}


def pipeline_declaration(spec: PipelineSpec) -> dict[str, Any]:
    """The V2 pipeline declaration (the `pipeline` argument of `CreatePipeline`)."""
    stages = [_source_stage(spec), *_build_stages(spec)]
    stages += [_deploy_stage(spec.name, stage) for stage in spec.stages]
    return {
        "name": spec.name,
        "roleArn": spec.role_arn,
        "pipelineType": "V2",
        "executionMode": "QUEUED",
        "artifactStore": {
            "type": "S3",
            "location": spec.artifact_bucket,
            "encryptionKey": {"id": spec.kms_key_arn, "type": "KMS"},
        },
        "variables": [
            {
                "name": PACKAGE_VARIABLE,
                "defaultValue": CURRENT_PACKAGE,
                "description": "Approved model package ARN (set by the registry trigger).",
            },
            {
                "name": VERSION_VARIABLE,
                "defaultValue": NO_VERSION,
                "description": "Its version; 0 (a push) stops the deploy at the intake.",
            },
            {
                "name": MODEL_DATA_VARIABLE,
                "defaultValue": CURRENT_PACKAGE,
                "description": "Its model artifact, s3:// (set by the registry trigger).",
            },
        ],
        "triggers": [
            {
                "providerType": "CodeStarSourceConnection",
                "gitConfiguration": {
                    "sourceActionName": "Source",
                    "push": [{"branches": {"includes": [spec.branch]}}],
                },
            }
        ],
        "stages": stages,
    }


def approved_package_pattern(model_package_group: str) -> dict[str, Any]:
    """EventBridge pattern: a package of `model_package_group` became Approved, nothing else."""
    return {
        "source": ["aws.sagemaker"],
        "detail-type": [MODEL_PACKAGE_EVENT],
        "detail": {
            "ModelPackageGroupName": [model_package_group],
            "ModelApprovalStatus": ["Approved"],
        },
    }
