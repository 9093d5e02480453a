"""`mlops:delivery`: how the stack's models are delivered (pipelines, CI roles), and its rules.

The settings of each environment are checked by `check_delivery` (the component's own rules:
prod must have the approval and the alarm rollback condition, approvers where approval is on,
repository `owner/name`, a branch name, at least one test command), renamed to the keys here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import Field

from infra.schema import MISSING, Section, StackContext
from mlops_platform.components.core import ArgsError, Problem
from mlops_platform.components.delivery.args import (
    DeliverySettings,
    check_delivery,
    check_repository,
)


class GithubSettings(Section):
    """`github`: the CI identities of the platform repository in this account."""

    oidc_provider_arn: str | None = None
    """The account's existing GitHub OIDC provider; unset creates it (once per account)."""
    pull_request_role: bool = True
    """Create the read-only role for pull requests."""


class DeliveryBlock(Section):
    """`mlops:delivery`."""

    repository: str
    """`owner/name` of the models' git repository."""
    platform_repository: str
    """`owner/name` of this platform's repository (CI roles, deploy projects)."""
    branch: str = "main"
    """Branch whose pushes start the pipelines."""
    build_image: str = "aws/codebuild/standard:7.0"
    """CodeBuild image of the projects."""
    compute_type: str = "BUILD_GENERAL1_MEDIUM"
    """CodeBuild compute type."""
    test_commands: list[str] = Field(default_factory=lambda: ["python -m pytest -q"])
    """Commands of the test stage."""
    approval: bool | None = None
    """A person approves before the deploy (default: on in prod only)."""
    alarm_rollback: bool = True
    """The endpoint's alarm blocks the stage and rolls it back after a deploy."""
    approvers: list[str] = Field(default_factory=list)
    """IAM role or user ARNs allowed to approve."""
    subscribers: list[str] = Field(default_factory=list)
    """E-mail addresses the approval topic notifies."""
    models: list[str] | None = None
    """Endpoints (by name in mlops:endpoints) that get a pipeline (default: each with a managed
    variant, the only ones whose release record serves)."""
    connection_arn: str | None = None
    """An existing CodeStar connection; unset creates one per pipeline."""
    promotion_state_machine_arn: str | None = None
    """The promotion workflow; unset: this stack's own (`mlops:workflows`)."""
    github: GithubSettings = Field(default_factory=GithubSettings)
    """CI identities for GitHub Actions."""


@dataclass(frozen=True)
class DeliveryConfig:
    """The validated `mlops:delivery` block."""

    settings: DeliverySettings
    platform_repository: str
    models: tuple[str, ...] | None
    connection_arn: str | None
    promotion_state_machine_arn: str | None
    oidc_provider_arn: str | None
    pull_request_role: bool


def build(settings: DeliveryBlock, context: StackContext) -> DeliveryConfig:
    """The delivery settings of this environment; raises `ArgsError` listing every problem."""
    environment = context.environment or "dev"
    approval = settings.approval if settings.approval is not None else environment == "prod"
    delivery = DeliverySettings(
        environment=environment,
        repository=settings.repository,
        branch=settings.branch,
        build_image=settings.build_image,
        compute_type=settings.compute_type,
        test_commands=tuple(settings.test_commands),
        approval=approval,
        alarm_rollback=settings.alarm_rollback,
        approvers=tuple(settings.approvers),
        subscribers=tuple(settings.subscribers),
    )
    problems = list(check_delivery(delivery))
    problems += [
        Problem("platform_repository", p.value, p.reason)
        for p in check_repository(settings.platform_repository)
    ]
    if problems:
        raise ArgsError("mlops:delivery", problems)
    return DeliveryConfig(
        settings=delivery,
        platform_repository=settings.platform_repository,
        models=tuple(settings.models) if settings.models is not None else None,
        connection_arn=settings.connection_arn,
        promotion_state_machine_arn=settings.promotion_state_machine_arn,
        oidc_provider_arn=settings.github.oidc_provider_arn,
        pull_request_role=settings.github.pull_request_role,
    )


def environment_rules(_config: DeliveryConfig, _context: StackContext) -> list[Problem]:
    """Prod's rules are `check_delivery`'s, applied in `build`."""
    return []


def model_rules(
    config: DeliveryConfig | None, endpoints: Mapping[str, bool], prefix: str
) -> list[Problem]:
    """Every model named in `models` is an endpoint of the stack that has a managed variant.

    `endpoints` maps each endpoint's name to whether a variant of it is `release: managed`: a
    pipeline's promotions write the endpoint's release record, which only such a variant serves.
    """
    if config is None or config.models is None:
        return []
    known = ", ".join(endpoints) or "none"
    problems = []
    for index, model in enumerate(config.models):
        field = f"{prefix}delivery.models[{index}]"
        if model not in endpoints:
            reason = f"no endpoint {model!r} in mlops:endpoints; the endpoints are: {known}"
            problems.append(Problem(field, model, reason))
        elif not endpoints[model]:
            reason = (
                f"endpoint {model!r} has no release: managed variant, so what its pipeline "
                "promotes would never serve: mark one variant managed, or leave it out"
            )
            problems.append(Problem(field, model, reason))
    return problems


def account_rules(
    config: DeliveryConfig | None, *, account_given: bool, prefix: str
) -> list[Problem]:
    """A stack with `mlops:delivery` names its account.

    The deploy projects and the CI role assume the stack's deployer role there, and that trust
    is cross-account, so it needs the account's id and the role's name.
    """
    if config is None or account_given:
        return []
    return [
        Problem(
            f"{prefix}account",
            MISSING,
            "required by mlops:delivery: its deploy projects and CI role assume the deployer "
            "role in the stack's account (set mlops:account.id and roleName)",
        )
    ]
