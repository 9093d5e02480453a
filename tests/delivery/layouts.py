"""Pipeline specs the layout tests start from: a prod-like chain and a dev one."""

from __future__ import annotations

from dataclasses import replace

from mlops_platform.components.delivery.pipeline_spec import (
    DeployStageSpec,
    PipelineSpec,
    PromotionSettings,
    ReleaseVariant,
)

ACCOUNT = "111111111111"
STAGING_ACCOUNT = "222222222222"
PROD_ACCOUNT = "333333333333"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/fraud-pipeline"


def state_machine(account: str) -> str:
    return f"arn:aws:states:us-east-1:{account}:stateMachine:promotion"


STAGING = DeployStageSpec(
    environment="staging",
    target="fraud-detector",
    state_machine_arn=state_machine(STAGING_ACCOUNT),
    action_role_arn=f"arn:aws:iam::{STAGING_ACCOUNT}:role/deploy",
    integration_project="fraud-integration",
    endpoint_name="staging-fraud-detector-1a2b3c4",
    variants=(ReleaseVariant("blue", 1.0, 2),),
    bake_alarm_names=("staging-fraud-detector-1a2b3c4-5xx",),
)
PROD = DeployStageSpec(
    environment="prod",
    target="fraud-detector",
    state_machine_arn=state_machine(PROD_ACCOUNT),
    action_role_arn=f"arn:aws:iam::{PROD_ACCOUNT}:role/deploy",
    region="us-east-1",
    approval_topic_arn=f"arn:aws:sns:us-east-1:{ACCOUNT}:fraud-approvals",
    rollback_alarm="fraud-detector-errors",
    alarm_wait_minutes=45,
    endpoint_name="prod-fraud-detector-5d6e7f8",
    variants=(ReleaseVariant("blue", 90.0, 3),),
    bake_alarm_names=("fraud-detector-errors", "fraud-detector-latency"),
    promotion=PromotionSettings(approval_required=True, bake_interval_seconds=600),
)
SPEC = PipelineSpec(
    name="fraud-detector",
    role_arn=ROLE,
    artifact_bucket="fraud-artifacts",
    kms_key_arn=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234",
    connection_arn=f"arn:aws:codestar-connections:us-east-1:{ACCOUNT}:connection/abcd",
    repository="acme/fraud-model",
    branch="main",
    build_project="fraud-build",
    test_project="fraud-test",
    stages=(STAGING, PROD),
)
DEV = replace(
    SPEC,
    stages=(
        DeployStageSpec(
            environment="dev",
            target="fraud-detector",
            state_machine_arn=state_machine(ACCOUNT),
            endpoint_name="dev-fraud-detector-0a0b0c0",
        ),
    ),
)
