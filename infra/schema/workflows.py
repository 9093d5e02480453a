"""`mlops:workflows`: the promotion and training workflows. Unset keys take the defaults."""

from __future__ import annotations

from dataclasses import dataclass

from infra.schema import Section, StackContext, values_of
from mlops_platform.components.core import Problem
from mlops_platform.components.core.logs import check_retention
from mlops_platform.components.workflows.args import DeploySpec, ExecutionDefaults


class WorkflowsSettings(Section):
    """Keys of `mlops:workflows`; ranges are checked by `ExecutionDefaults`."""

    repository: str
    """HTTPS URL of the platform's repository, which the deploy project builds from."""
    branch: str | None = None
    """The branch the deploy project builds (default `main`)."""
    approval_required: bool | None = None
    """A person approves each promotion by task token (default false; prod requires it)."""
    approval_timeout_seconds: int | None = None
    """How long an approval waits (default 86400)."""
    bake_interval_seconds: int | None = None
    """Seconds between alarm checks while baking (default 300)."""
    bake_checks: int | None = None
    """How many alarm checks the bake makes (default 6)."""
    lock_ttl_seconds: int | None = None
    """Expiry of a promotion lock (default 7200)."""
    log_retention_days: int | None = None
    """Days to keep the workflows' logs (default 365)."""


@dataclass(frozen=True)
class WorkflowsConfig:
    """The workflows' settings; the targets come from the stack's endpoints."""

    defaults: ExecutionDefaults
    deploy: DeploySpec
    log_retention_days: int
    tags: dict[str, str]
    protect_data: bool


def build(settings: WorkflowsSettings, context: StackContext) -> WorkflowsConfig:
    """The settings that are set over the defaults, with the stack's deploy role and tags."""
    values = values_of(settings, "repository", "branch", "log_retention_days")
    deploy = DeploySpec(
        repository=settings.repository,
        branch=settings.branch or "main",
        deploy_role_arn=context.deploy_role_arn,
    )
    return WorkflowsConfig(
        defaults=ExecutionDefaults(**values),
        deploy=deploy,
        log_retention_days=settings.log_retention_days or 365,
        tags=dict(context.tags),
        protect_data=context.protect_data,
    )


def environment_rules(config: WorkflowsConfig, context: StackContext) -> list[Problem]:
    """Log retention CloudWatch accepts; prod promotions wait for a person's approval."""
    problems = check_retention("log_retention_days", config.log_retention_days)
    if context.environment == "prod" and not config.defaults.approval_required:
        problems.append(
            Problem(
                "approval_required",
                config.defaults.approval_required,
                "prod promotions need a person's approval; set it to true",
            )
        )
    return problems
