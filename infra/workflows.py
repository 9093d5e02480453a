"""The stack's promotion and training workflows, over its endpoints, deploying in its VPC.

Stack outputs: `workflows` holds the state machines' ARNs, the tables' names, the topic, the
deploy project and the execution defaults. The release CLI reads them from the stack's outputs
(`pulumi stack output workflows --stack <env>`); nothing is looked up by a physical name.
"""

from __future__ import annotations

from pathlib import Path

import pulumi

from infra.config import StackConfig
from mlops_platform.components.network import Network
from mlops_platform.components.sagemaker import ModelEndpoint
from mlops_platform.components.workflows import (
    PromotionWorkflows,
    PromotionWorkflowsArgs,
    WorkflowTarget,
)

LAMBDAS_ROOT = Path(__file__).resolve().parent.parent / "lambdas"
"""The handlers' sources, next to `infra/` in the repository."""
ARCHIVE_DIR = Path("build/lambda")
"""Where the zips are written, relative to the project (the engine runs the program there)."""


def create_workflows(
    stack: StackConfig,
    network: Network,
    endpoints: dict[str, ModelEndpoint],
    options: pulumi.ResourceOptions,
) -> PromotionWorkflows | None:
    """The workflows over every endpoint, when the stack has `mlops:workflows` and endpoints."""
    settings = stack.workflows
    if settings is None or not endpoints:
        return None
    targets = [
        WorkflowTarget(
            name=declaration.name,
            endpoint_name=endpoints[declaration.name].endpoint_name,
            package_group=endpoints[declaration.name].model_package_group_name,
            alarm_names=endpoints[declaration.name].rollback_alarm_names,
            artifact_prefix=declaration.args.artifact_prefix,
        )
        for declaration in stack.endpoints
    ]
    args = PromotionWorkflowsArgs(
        environment=stack.environment,
        targets=targets,
        deploy=settings.deploy,
        lambdas_root=LAMBDAS_ROOT,
        archive_dir=ARCHIVE_DIR,
        defaults=settings.defaults,
        log_retention_days=settings.log_retention_days,
        protect_data=settings.protect_data,
        tags=settings.tags,
    )
    return PromotionWorkflows(f"{stack.environment}-workflows", args, network.placement(), options)


def workflow_outputs(workflows: PromotionWorkflows) -> dict[str, object]:
    """What the release CLI and operators need: where to start runs, where the ledger is."""
    return {
        "promotionStateMachineArn": workflows.promotion_state_machine_arn,
        "trainingStateMachineArn": workflows.training_state_machine_arn,
        "ledgerTableName": workflows.ledger_table_name,
        "lockTableName": workflows.lock_table_name,
        "topicArn": workflows.topic_arn,
        "deployProjectName": workflows.deploy_project_name,
        "functionNames": workflows.function_names,
        "codeSha256": workflows.code_sha256,
        "executionDefaults": workflows.execution_defaults,
    }
