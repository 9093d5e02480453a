"""`ModelPipelineArgs` and `GithubOidcArgs`, and the checks of one environment's delivery settings.

Every problem is reported at once as (field, value, reason), the shape of the platform's
`Problem`, so config errors read the same everywhere, before any resource exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pulumi

from mlops_platform.components.core import tags as _tags
from mlops_platform.components.core.errors import Problem, raise_if_any
from mlops_platform.components.core.logs import check_retention
from mlops_platform.components.delivery.deploy_input import PromotionSettings, ReleaseVariant

COMPUTE_TYPES = (
    "BUILD_GENERAL1_SMALL",
    "BUILD_GENERAL1_MEDIUM",
    "BUILD_GENERAL1_LARGE",
    "BUILD_GENERAL1_XLARGE",
    "BUILD_GENERAL1_2XLARGE",
)
"""CodeBuild compute types that can build container images (Lambda compute cannot)."""
PROD = "prod"

_OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?")
_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")
_CURATED_IMAGE = re.compile(r"aws/codebuild/[a-z0-9][a-z0-9._-]*:[0-9]+\.[0-9]+")
_ECR_IMAGE = re.compile(
    r"[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/[a-z0-9][a-z0-9._/-]*"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})|@sha256:[0-9a-f]{64})"
)
_PRINCIPAL = re.compile(
    r"arn:aws[a-z-]*:(?:iam::[0-9]{12}:(?:role|user)|sts::[0-9]{12}:assumed-role)/[\w+=,.@/-]+"
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_REF_FORBIDDEN = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]")


DeliveryProblem = Problem
"""One thing wrong with one delivery setting (the platform's `Problem`)."""


@dataclass(frozen=True, kw_only=True)
class DeliverySettings:
    """The delivery settings of one model in one environment, as config gives them."""

    environment: str
    """Environment the pipeline stage deploys to; `prod` has the strictest rules."""
    repository: str
    """`owner/name` of the model's git repository."""
    branch: str
    """Branch whose pushes start the pipeline."""
    build_image: str
    """CodeBuild image: a curated `aws/codebuild/...:X.Y` or an ECR image pinned by tag/digest."""
    compute_type: str
    """CodeBuild compute type, one of `COMPUTE_TYPES`."""
    test_commands: Sequence[str]
    """Commands of the test stage; at least one."""
    approval: bool
    """Whether a person approves before the deploy; prod requires it."""
    alarm_rollback: bool
    """Whether the endpoint's alarm rolls the stage back after a deploy; prod requires it."""
    approvers: Sequence[str] = ()
    """IAM role or user ARNs allowed to approve; required wherever approval is on."""
    subscribers: Sequence[str] = ()
    """E-mail addresses the approval topic notifies."""


def check_repository(value: str) -> Iterator[DeliveryProblem]:
    """A repository must be `owner/name` with GitHub's characters."""
    owner, slash, name = value.partition("/")
    fine = slash and _OWNER.fullmatch(owner) and _NAME.fullmatch(name) and name not in {".", ".."}
    if not fine:
        yield DeliveryProblem(
            "repository", value, "must be owner/name, e.g. acme/fraud-model (letters, digits, -_.)"
        )


def ref_name_error(branch: str) -> str | None:
    """Why `branch` is not a valid branch name under git check-ref-format rules, or None."""
    if not branch or branch in {"@", "HEAD"}:
        return "is not a branch name"
    if branch.startswith(("-", "/")) or branch.endswith(("/", ".")):
        return "may not start with '-' or '/', nor end with '/' or '.'"
    if ".." in branch or "//" in branch or "@{" in branch:
        return "may not contain '..', '//' or '@{'"
    if _REF_FORBIDDEN.search(branch):
        return "may not contain spaces, control characters or any of ~ ^ : ? * [ \\"
    if any(part.startswith(".") or part.endswith(".lock") for part in branch.split("/")):
        return "no part between slashes may start with '.' or end with '.lock'"
    return None


def check_branch(value: str) -> Iterator[DeliveryProblem]:
    """A branch must be a literal git branch name (patterns are not names)."""
    reason = ref_name_error(value)
    if reason is not None:
        yield DeliveryProblem("branch", value, f"{reason} (git check-ref-format)")


def check_build(image: str, compute_type: str) -> Iterator[DeliveryProblem]:
    """The build image is curated or pinned in ECR; the compute type can build images."""
    ecr = _ECR_IMAGE.fullmatch(image)
    if not (_CURATED_IMAGE.fullmatch(image) or ecr):
        yield DeliveryProblem(
            "build_image",
            image,
            "must be aws/codebuild/<image>:<major>.<minor> or an ECR image with a tag or digest",
        )
    elif ecr and ecr.group("tag") == "latest":
        yield DeliveryProblem("build_image", image, "pin a tag or digest, not 'latest'")
    if compute_type not in COMPUTE_TYPES:
        yield DeliveryProblem("compute_type", compute_type, f"allowed: {', '.join(COMPUTE_TYPES)}")


def check_test_commands(commands: Sequence[str]) -> Iterator[DeliveryProblem]:
    """At least one test command, none blank."""
    if not commands:
        yield DeliveryProblem("test_commands", list(commands), "needs at least one command")
    for index, command in enumerate(commands):
        if not command.strip():
            yield DeliveryProblem(f"test_commands[{index}]", command, "must not be blank")


def _check_gate(settings: DeliverySettings) -> Iterator[DeliveryProblem]:
    env = settings.environment
    if env == PROD and not settings.approval:
        yield DeliveryProblem("approval", False, "prod must have a manual approval before deploy")
    if env == PROD and not settings.alarm_rollback:
        yield DeliveryProblem(
            "alarm_rollback", False, "prod must roll back when the endpoint's alarm fires"
        )
    if settings.approval and not settings.approvers:
        yield DeliveryProblem(
            "approvers", [], f"{env} has a manual approval, so name at least one approver"
        )
    for index, approver in enumerate(settings.approvers):
        if not _PRINCIPAL.fullmatch(approver):
            yield DeliveryProblem(
                f"approvers[{index}]", approver, "must be an IAM role or user ARN, no wildcards"
            )
    for index, address in enumerate(settings.subscribers):
        if not _EMAIL.fullmatch(address):
            yield DeliveryProblem(f"subscribers[{index}]", address, "must be an e-mail address")


def check_delivery(settings: DeliverySettings) -> list[DeliveryProblem]:
    """Every problem with one environment's delivery settings, in field order."""
    return [
        *check_repository(settings.repository),
        *check_branch(settings.branch),
        *check_build(settings.build_image, settings.compute_type),
        *check_test_commands(settings.test_commands),
        *_check_gate(settings),
    ]


MAX_NAME = 40
"""Longest component name: children's AWS names (IAM roles: 64) keep room for their suffixes."""
_COMPONENT_NAME = re.compile(r"[a-z][a-z0-9-]*[a-z0-9]")


@dataclass(frozen=True, kw_only=True)
class DeployStage:
    """One environment the pipeline deploys to through the promotion workflow."""

    environment: str
    """Environment name (`dev`, `staging`, `prod`); also the stage's name."""
    target: str
    """The release target the workflow promotes (`fraud-detector`)."""
    promotion_state_machine_arn: pulumi.Input[str]
    """The promotion workflow the deploy action starts (the workflow component's output)."""
    stack_role_arn: pulumi.Input[str]
    """The role `pulumi up` of the environment assumes; the deploy project may assume only it."""
    approval: bool = True
    """A person approves before the deploy; prod requires it."""
    rollback_alarm_name: pulumi.Input[str] | None = None
    """The endpoint's alarm: it blocks entry and rolls the stage back after a deploy (prod)."""
    rollback_alarm_arn: pulumi.Input[str] | None = None
    """Its ARN, which the pipeline role may read."""
    alarm_wait_minutes: int = 30
    """How long after a successful deploy the alarm is watched."""
    integration_endpoint_name: pulumi.Input[str] | None = None
    """The endpoint the integration test invokes after the deploy; None: no integration test."""
    integration_endpoint_arn: pulumi.Input[str] | None = None
    """Its ARN, the only one the integration project may invoke."""
    deploy_role_arn: pulumi.Input[str] | None = None
    """A deploy role in another account for the deploy action; None: the pipeline's own role."""
    endpoint_name: pulumi.Input[str]
    """The live endpoint serving the target: the `endpoint_name` of the records it writes."""
    variants: Sequence[ReleaseVariant] = ()
    """The target's variants as the record expects them live; empty: not checked."""
    bake_alarm_names: pulumi.Input[Sequence[str]] = ()
    """The alarms the workflow watches while it bakes the new version."""
    promotion: PromotionSettings = field(default_factory=PromotionSettings)
    """The workflow's approval, bake, polling and lock settings (`mlops:workflows`)."""


@dataclass(frozen=True, kw_only=True)
class ModelPipelineArgs:
    """What the delivery pipeline of one model is made of; checked once, at construction."""

    settings: DeliverySettings
    """Repository, branch, build image, compute type, tests, approval rules (`check_delivery`)."""
    model_package_group: pulumi.Input[str]
    """The model's package group: its Approved packages start the pipeline."""
    stages: Sequence[DeployStage]
    """Deploy environments in promotion order; at least one."""
    platform_repository: str
    """`owner/name` of the platform repository the deploy projects run `pulumi up` from."""
    connection_arn: pulumi.Input[str] | None = None
    """An existing CodeStar connection to GitHub; None creates one (PENDING until installed)."""
    quality_metric: str = "binary_classification_metrics.auc.value"
    """Dotted path into the package's model-quality statistics checked by the test stage."""
    quality_minimum: float = 0.0
    """Lowest value of `quality_metric` allowed."""
    statistics_prefix: str | None = None
    """`s3://bucket/prefix/` of the packages' statistics, which the test project may read."""
    latency_budget_ms: int = 500
    """p95 latency budget of the integration test."""
    log_retention_days: int = 365
    """How long build, test, deploy and trigger logs are kept."""
    protect_data: bool = True
    """Protect the key, the artifacts bucket, the image repository and the dedupe table."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags for every taggable child, on top of each child's `Name`."""

    def __post_init__(self) -> None:
        """Reject every problem at once, before any resource exists."""
        raise_if_any("ModelPipelineArgs", check_pipeline_args(self))


def check_pipeline_args(args: ModelPipelineArgs) -> list[Problem]:
    """Every problem with `args`: the settings, the stages, the quality check, the logs."""
    problems = [
        Problem(f"settings.{p.field}", p.value, p.reason) for p in check_delivery(args.settings)
    ]
    problems += [
        Problem(f"platform_repository{p.field[len('repository') :]}", p.value, p.reason)
        for p in check_repository(args.platform_repository)
    ]
    if not args.stages:
        problems.append(Problem("stages", [], "at least one deploy stage"))
    problems += [p for index, s in enumerate(args.stages) for p in _check_stage(index, s)]
    if any(s.approval for s in args.stages) and not args.settings.approvers:
        problems.append(
            Problem("settings.approvers", [], "a stage has an approval: name its approvers")
        )
    if not isinstance(args.latency_budget_ms, int) or args.latency_budget_ms < 1:
        problems.append(
            Problem("latency_budget_ms", args.latency_budget_ms, "a whole number above 0")
        )
    if args.statistics_prefix is not None and not args.statistics_prefix.startswith("s3://"):
        problems.append(Problem("statistics_prefix", args.statistics_prefix, "an s3:// prefix"))
    problems += check_retention("log_retention_days", args.log_retention_days)
    return problems + _tags.check_tags("tags", args.tags)


def _check_stage(index: int, stage: DeployStage) -> list[Problem]:
    where = f"stages[{index}]"
    problems = []
    if stage.environment == PROD and not stage.approval:
        problems.append(
            Problem(f"{where}.approval", False, "prod must have a manual approval before deploy")
        )
    if stage.environment == PROD and stage.rollback_alarm_name is None:
        problems.append(
            Problem(
                f"{where}.rollback_alarm_name", None, "prod must roll back when its alarm fires"
            )
        )
    if not 1 <= stage.alarm_wait_minutes <= 1440:  # noqa: PLR2004 - CodePipeline's WaitTime
        problems.append(
            Problem(f"{where}.alarm_wait_minutes", stage.alarm_wait_minutes, "1-1440 minutes")
        )
    return problems


def check_component_name(name: str) -> list[Problem]:
    """A pipeline's name: lowercase, short enough for the AWS names derived from it."""
    if len(name) <= MAX_NAME and _COMPONENT_NAME.fullmatch(name):
        return []
    return [
        Problem(
            "name",
            name,
            f"2-{MAX_NAME} lowercase letters, digits or inner hyphens, starting with a letter",
        )
    ]


@dataclass(frozen=True, kw_only=True)
class GithubOidcArgs:
    """Which GitHub repository's workflows get which role in this account."""

    repository: str
    """`owner/name` of the repository whose workflows assume the roles."""
    environments: Sequence[str]
    """GitHub environments that get a role each (`sub = repo:OWNER/NAME:environment:ENV`)."""
    assumable_role_arns: pulumi.Input[Sequence[pulumi.Input[str]]]
    """The roles an environment role may assume to run `pulumi up` (the stack's deployer)."""
    provider_arn: pulumi.Input[str] | None = None
    """The account's existing GitHub OIDC provider; None creates it (once per account)."""
    pull_request_role: bool = True
    """Create the read-only role for pull requests (`pulumi preview`, the policy check)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags for every taggable child."""

    def __post_init__(self) -> None:
        """Reject every problem at once, before any resource exists."""
        problems = list(check_repository(self.repository))
        if not self.environments:
            problems.append(Problem("environments", [], "at least one GitHub environment"))
        for index, env in enumerate(self.environments):
            if not re.fullmatch(r"[A-Za-z0-9_.-]{1,255}", env):
                reason = "a GitHub environment name, no wildcards"
                problems.append(Problem(f"environments[{index}]", env, reason))
        if len(set(self.environments)) != len(self.environments):
            problems.append(Problem("environments", list(self.environments), "each name once"))
        raise_if_any("GithubOidcArgs", problems + _tags.check_tags("tags", self.tags))
