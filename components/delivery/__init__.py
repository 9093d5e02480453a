"""Delivery: pipelines that take a model version from the registry through staging to prod."""

from mlops_platform.components.delivery.args import (
    DeliverySettings,
    DeployStage,
    GithubOidcArgs,
    ModelPipelineArgs,
)
from mlops_platform.components.delivery.github import GithubOidc
from mlops_platform.components.delivery.pipeline import ModelPipeline

__all__ = [
    "DeliverySettings",
    "DeployStage",
    "GithubOidc",
    "GithubOidcArgs",
    "ModelPipeline",
    "ModelPipelineArgs",
]
