"""Checks of the delivery settings of one model in one environment, before anything is built.

Pure and standard-library only; every problem is reported at once as (field, value, reason),
the shape of the platform's `Problem`, so config errors read the same everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class DeliveryProblem:
    """One thing wrong with one delivery setting."""

    field: str
    """The setting, as a dotted path (`test_commands`, `approvers[1]`)."""
    value: object
    """The value as given."""
    reason: str
    """What is wrong and what is allowed instead."""

    def __str__(self) -> str:
        """Render as `field = value: reason`, like every message of the platform."""
        return f"{self.field} = {self.value!r}: {self.reason}"


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
