"""Promotion and training workflows: Step Functions, Lambda handlers, ledger and lock tables."""

from mlops_platform.components.workflows.args import (
    DeploySpec,
    ExecutionDefaults,
    PromotionWorkflowsArgs,
    ServiceCluster,
    ServiceTarget,
    ServingDeploy,
    WorkflowTarget,
)
from mlops_platform.components.workflows.workflows import PromotionWorkflows

__all__ = [
    "DeploySpec",
    "ExecutionDefaults",
    "PromotionWorkflows",
    "PromotionWorkflowsArgs",
    "ServiceCluster",
    "ServiceTarget",
    "ServingDeploy",
    "WorkflowTarget",
]
