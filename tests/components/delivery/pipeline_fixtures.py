"""A prod pipeline and a dev pipeline, as the component tests build them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mlops_platform.components.core import Placement
from mlops_platform.components.delivery.args import (
    DeliverySettings,
    DeployStage,
    ModelPipelineArgs,
)
from mlops_platform.components.delivery.deploy_input import PromotionSettings, ReleaseVariant
from mlops_platform.components.delivery.pipeline import ModelPipeline

APPROVER = "arn:aws:iam::123456789012:role/releaser"
MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:mlops-prod-promotion"
STACK_ROLE = "arn:aws:iam::123456789012:role/mlops-deployer"
ALARM = "prod-fraud-detector-blue-5xx"
ALARM_ARN = f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{ALARM}"
ENDPOINT = "prod-fraud-detector-abcd1234"
SETTINGS = DeliverySettings(
    environment="prod",
    repository="acme/fraud-model",
    branch="main",
    build_image="aws/codebuild/standard:7.0",
    compute_type="BUILD_GENERAL1_MEDIUM",
    test_commands=["pytest -q", "python -m model.check"],
    approval=True,
    alarm_rollback=True,
    approvers=[APPROVER],
    subscribers=["ml-oncall@example.com"],
)
PROD_STAGE = DeployStage(
    environment="prod",
    target="fraud-detector",
    promotion_state_machine_arn=MACHINE,
    stack_role_arn=STACK_ROLE,
    approval=True,
    rollback_alarm_name=ALARM,
    rollback_alarm_arn=ALARM_ARN,
    integration_endpoint_name=ENDPOINT,
    integration_endpoint_arn=f"arn:aws:sagemaker:us-east-1:123456789012:endpoint/{ENDPOINT}",
    endpoint_name=ENDPOINT,
    variants=[ReleaseVariant("blue", 90.0, 3)],
    bake_alarm_names=[ALARM, "prod-fraud-detector-blue-latency"],
    promotion=PromotionSettings(approval_required=True, bake_checks=3),
)
PLACEMENT = Placement(
    vpc_id="vpc-1", subnet_ids=["subnet-a", "subnet-b"], security_group_ids=["sg-1"]
)


def prod_args(**overrides: Any) -> ModelPipelineArgs:
    values: dict[str, Any] = {
        "settings": SETTINGS,
        "model_package_group": "prod-fraud-detector-abcd1234",
        "stages": [PROD_STAGE],
        "platform_repository": "acme/mlops-platform",
        "statistics_prefix": "s3://acme-models/fraud-detector/",
        "tags": {"Environment": "prod"},
        **overrides,
    }
    return ModelPipelineArgs(**values)


def dev_args() -> ModelPipelineArgs:
    settings = replace(SETTINGS, environment="dev", approval=False, alarm_rollback=False)
    stage = replace(
        PROD_STAGE,
        environment="dev",
        approval=False,
        rollback_alarm_name=None,
        rollback_alarm_arn=None,
        integration_endpoint_name=None,
        integration_endpoint_arn=None,
    )
    return prod_args(settings=settings, stages=[stage])


def build(args: ModelPipelineArgs, placement: Placement | None = PLACEMENT) -> None:
    ModelPipeline("prod-fraud", args, placement)
