"""The delivery pipeline of one model as plain data: stages, actions, conditions, event pattern.

Everything here is pure and uses the standard library only: it takes names and ARNs and returns
the documents AWS expects, in the shape of the CodePipeline V2 `CreatePipeline` API (camelCase),
so the component only has to map them onto resources and tests can read them directly.

A run carries the approved model package in the pipeline variable `PackageArn` (set by the
registry trigger; a run started by a git push keeps the default `current`, which tells the
promotion workflow to keep the package the release record names and change only the image).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

PACKAGE_VARIABLE = "PackageArn"
"""The pipeline variable that carries the exact approved model package ARN."""
CURRENT_PACKAGE = "current"
"""`PackageArn` of a run not started by the registry: keep the released package."""
SOURCE_ARTIFACT = "SourceOutput"
BUILD_ARTIFACT = "BuildOutput"
SOURCE_NAMESPACE = "SourceVariables"
BUILD_NAMESPACE = "BuildVariables"
APPROVAL_ACTION = "Approve"
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


def workflow_input(pipeline: str, stage: DeployStageSpec) -> dict[str, Any]:
    """The promotion workflow's input as the deploy action sends it (variables unresolved).

    The approval block names the approval action; the workflow reads the approver and the
    comment from `ListActionExecutions` of this pipeline execution (see `approval_record`).
    """
    approval: dict[str, Any] = {"required": stage.approval_topic_arn is not None}
    if stage.approval_topic_arn is not None:
        approval |= {
            "pipeline": pipeline,
            "stage": stage.environment,
            "action": APPROVAL_ACTION,
            "pipeline_execution_id": "#{codepipeline.PipelineExecutionId}",
        }
    return {
        "environment": stage.environment,
        "target": stage.target,
        "package_arn": f"#{{variables.{PACKAGE_VARIABLE}}}",
        "version": f"#{{{BUILD_NAMESPACE}.IMAGE_TAG}}",
        "image": f"#{{{BUILD_NAMESPACE}.IMAGE_URI}}@#{{{BUILD_NAMESPACE}.IMAGE_DIGEST}}",
        "actor": f"codepipeline/{pipeline}",
        "approval": approval,
    }


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
        "Input": json.dumps(workflow_input(pipeline, stage), sort_keys=True),
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
                "description": "Approved model package ARN; 'current' keeps the released one.",
            }
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


def approval_record(
    action_executions: Sequence[Mapping[str, Any]], stage: str, action: str = APPROVAL_ACTION
) -> dict[str, str] | None:
    """Who approved and what they wrote, from `ListActionExecutions` details of one execution.

    Returns `{"approver", "comment", "approved_at"}` of the succeeded approval action of `stage`,
    or None when it has not succeeded (the ledger then has nothing to record).
    """
    for detail in action_executions:
        if (detail.get("stageName"), detail.get("actionName")) != (stage, action):
            continue
        if detail.get("status") != "Succeeded":
            continue
        result = detail.get("output", {}).get("executionResult", {})
        when = detail.get("lastUpdateTime")
        return {
            "approver": str(detail.get("updatedBy", "")),
            "comment": str(result.get("externalExecutionSummary", "")),
            "approved_at": _iso(when),
        }
    return None


def _iso(when: object) -> str:
    if isinstance(when, datetime):
        return when.isoformat()
    return "" if when is None else str(when)
