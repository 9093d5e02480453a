"""What one environment's promotion and training workflows need, and the checks on it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

from mlops_platform.components.core import tags as _tags
from mlops_platform.components.core.errors import ArgsError, Problem
from mlops_platform.components.core.logs import check_retention

FUNCTIONS = (
    "intake",
    "lock",
    "ledger",
    "release",
    "apply",
    "verify",
    "bake",
    "training",
    "gate",
    "rollback_trigger",
    "approval",
)
"""Every Lambda function of the workflows, by handler package of `lambdas/`."""

LONGEST_SUFFIX = "rollback-trigger-logs-policy"
"""The longest suffix a child's logical name gets (`<name>-<suffix>`)."""
AUTONAME_SUFFIX = 8
"""Pulumi auto-names a resource `<logical name>-<7 random characters>`."""
NAME_LIMIT = 64
"""The tightest AWS name limit among the auto-named children (Lambda functions, IAM roles)."""
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_TARGET = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def max_name_length() -> int:
    """The longest component name whose children all stay within AWS's name limits."""
    return NAME_LIMIT - AUTONAME_SUFFIX - len(LONGEST_SUFFIX) - 1


@dataclass(frozen=True, kw_only=True)
class ServiceCluster:
    """The EKS cluster of the environment's model services, as the verifier reaches it."""

    cluster_name: pulumi.Input[str]
    """The cluster's name (`eks:DescribeCluster` and the token's `x-k8s-aws-id`)."""
    cluster_arn: pulumi.Input[str]
    """The cluster's ARN: the only cluster the verifier may describe."""
    api_security_group_id: pulumi.Input[str]
    """The security group of the cluster's private API endpoint, which is told to admit the
    verifier's own group on 443."""


@dataclass(frozen=True, kw_only=True)
class ServiceTarget:
    """Where the model service of an EKS target runs: an Argo Rollout in its namespace."""

    cluster: ServiceCluster
    """Its cluster; every EKS target of one environment names the same one."""
    namespace: str
    """Its namespace, the only one the verifier may read (EKS access policy scope)."""


@dataclass(frozen=True, kw_only=True)
class WorkflowTarget:
    """One target the workflows promote: a SageMaker endpoint or an EKS model service."""

    name: str
    """The target's name in release records and the ledger (`fraud-detector`)."""
    endpoint_name: pulumi.Input[str] | None = None
    """The SageMaker endpoint that serves it; None for an EKS target."""
    service: ServiceTarget | None = None
    """The model service that serves it on EKS; None for a SageMaker endpoint. With one,
    the verify function runs in the VPC's private subnets and may read the namespace."""
    package_group: pulumi.Input[str]
    """Its model registry (model package group)."""
    alarm_names: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Its rollback alarms; tagged `mlops:env` and `mlops:target`, they start the watcher."""
    artifact_prefix: str
    """`s3://bucket/prefix/` where its training data and models live."""


@dataclass(frozen=True, kw_only=True)
class ServingDeploy:
    """How the deploy project applies the serving layer (`serving/`) after a service's record.

    The layer runs with the project's own role (`aws eks get-token` signs with it), so that role
    gets what the cluster's in-VPC deployer gets: cluster admin by access entry, the API on 443,
    the serving layer's IAM roles and its state.
    """

    backend_url: str | None = None
    """The S3 state backend of both layers (`mlops:cluster.deployer.backendUrl`); None: the
    Pulumi Cloud backend of the access token."""
    secrets_key_arn: str | None = None
    """KMS key of the stacks' `awskms://` secrets provider; None when there is none."""
    serving_prefix: str = "serving"
    """The serving layer's logical-name prefix; the project may manage the IAM roles named
    `<serving_prefix>-*` only (the service-account roles the layer creates)."""


@dataclass(frozen=True, kw_only=True)
class DeploySpec:
    """The CodeBuild project that the apply step starts: `pulumi up` of this environment."""

    repository: str
    """HTTPS URL of the platform's git repository (CodeBuild source, type GITHUB)."""
    branch: str = "main"
    """The branch it deploys from; defaults to `main`."""
    deploy_role_arn: pulumi.Input[str] | None = None
    """The role the program assumes in the target account (`mlops:account`); the project may
    assume only this one. None: the program runs with the project's role, which gets no
    deploy rights here (grant them outside the platform)."""
    token_secret: str = "mlops/pulumi-access-token"
    """Secrets Manager name of the Pulumi access token the buildspec reads."""
    serving: ServingDeploy | None = None
    """How EKS targets' promotions apply the serving layer; required with an EKS target."""


@dataclass(frozen=True, kw_only=True)
class ExecutionDefaults:
    """What the release CLI puts in every promotion's input; exported for it."""

    approval_required: bool = False
    """A person approves by task token before anything deploys; prod config requires it."""
    approval_timeout_seconds: int = 86400
    """How long the approval waits; defaults to a day."""
    bake_interval_seconds: int = 300
    """Seconds between alarm checks while baking."""
    bake_checks: int = 6
    """How many checks the bake makes (bake time = interval x checks)."""
    lock_ttl_seconds: int = 7200
    """Expiry of the promotion lock, so a crashed run cannot hold a target forever."""

    def as_input(self) -> dict[str, Any]:
        """The parts of an execution input these defaults fill (`approval`, `bake`, lock TTL)."""
        return {
            "approval": {
                "required": self.approval_required,
                "timeout_seconds": self.approval_timeout_seconds,
            },
            "bake": {"interval_seconds": self.bake_interval_seconds, "checks": self.bake_checks},
            "lock_ttl_seconds": self.lock_ttl_seconds,
        }

    def __post_init__(self) -> None:
        """Reject values the intake function would refuse, every problem at once."""
        problems = _check_defaults(self)
        if problems:
            raise ArgsError("ExecutionDefaults", problems)


@dataclass(frozen=True, kw_only=True)
class PromotionWorkflowsArgs:
    """One environment's workflows: state machines, functions, ledger, lock table, deploy."""

    environment: str
    """The environment (`dev`, `staging`, `prod`): the `<env>` of ledger keys and records."""
    targets: Sequence[WorkflowTarget]
    """The endpoints and model services the workflows promote; at least one."""
    deploy: DeploySpec
    """The deploy project the apply step starts."""
    lambdas_root: Path
    """The `lambdas/` directory the functions' code is built from."""
    archive_dir: Path
    """Where the built zips are written (relative to the project, e.g. `build/lambda`)."""
    defaults: ExecutionDefaults = field(default_factory=ExecutionDefaults)
    """Execution defaults exported for the release CLI."""
    log_retention_days: int = 365
    """Days to keep the functions', machines' and builds' logs; defaults to a year."""
    watcher_concurrency: int | None = 5
    """Reserved concurrency of the alarm watcher, so an alarm storm cannot starve the account
    and the account cannot starve the watcher; None reserves none (accounts with a limit of
    10 cannot reserve any)."""
    protect_data: bool = True
    """Protect the tables, key and log groups, keep them on delete; turns on deletion
    protection of the tables."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags of every taggable child."""

    def __post_init__(self) -> None:
        """Reject bad values, every problem at once."""
        problems = check_args(self)
        if problems:
            raise ArgsError("PromotionWorkflowsArgs", problems)


def check_name(name: str) -> list[Problem]:
    """The component's name must keep every auto-named child within 64 characters."""
    longest = max_name_length()
    if not _NAME.match(name) or len(name) > longest:
        return [
            Problem(
                "name",
                name,
                f"lower-case letters, digits and '-', at most {longest} characters, so the "
                f"longest child name plus the 7-character suffix stays within {NAME_LIMIT}",
            )
        ]
    return []


def check_args(args: PromotionWorkflowsArgs) -> list[Problem]:
    """Every problem of `args`."""
    problems: list[Problem] = []
    if not _NAME.match(args.environment):
        problems.append(Problem("environment", args.environment, "lower-case letters and '-'"))
    if not args.targets:
        problems.append(Problem("targets", [], "at least one target"))
    names = [target.name for target in args.targets]
    for index, target in enumerate(args.targets):
        if not _TARGET.match(target.name):
            problems.append(
                Problem(f"targets[{index}].name", target.name, "1-63 of a-z, 0-9 and '-'")
            )
        if names.count(target.name) > 1:
            problems.append(Problem(f"targets[{index}].name", target.name, "must be unique"))
        problems += _check_kind(f"targets[{index}]", target)
        if not target.artifact_prefix.startswith("s3://") or "/" not in target.artifact_prefix[5:]:
            problems.append(
                Problem(
                    f"targets[{index}].artifact_prefix",
                    target.artifact_prefix,
                    "an s3://bucket/prefix/ URI",
                )
            )
    if not args.deploy.repository.startswith("https://"):
        problems.append(Problem("deploy.repository", args.deploy.repository, "an https:// git URL"))
    problems += _check_clusters(args)
    problems += check_retention("log_retention_days", args.log_retention_days)
    if args.watcher_concurrency is not None and not 1 <= args.watcher_concurrency <= 100:  # noqa: PLR2004
        problems.append(Problem("watcher_concurrency", args.watcher_concurrency, "1-100 or None"))
    return problems + _tags.check_tags("tags", args.tags)


def _check_clusters(args: PromotionWorkflowsArgs) -> list[Problem]:
    """EKS targets are on one cluster, and the deploy knows how to apply the serving layer."""
    problems = []
    clusters = {id(t.service.cluster) for t in args.targets if t.service is not None}
    if len(clusters) > 1:
        problems.append(
            Problem("targets", f"{len(clusters)} clusters", "every EKS target names one cluster")
        )
    if clusters and args.deploy.serving is None:
        problems.append(
            Problem("deploy.serving", None, "EKS targets need how the serving layer is applied")
        )
    return problems


def _check_kind(field: str, target: WorkflowTarget) -> list[Problem]:
    """A target is served by exactly one of an endpoint and a model service."""
    if (target.endpoint_name is None) == (target.service is None):
        given = "both" if target.service is not None else "neither"
        return [Problem(field, given, "set exactly one of endpoint_name and service")]
    if target.service is not None and not _TARGET.match(target.service.namespace):
        return [Problem(f"{field}.service.namespace", target.service.namespace, "a namespace name")]
    return []


def service_targets(targets: Sequence[WorkflowTarget]) -> list[ServiceTarget]:
    """The EKS targets' services, in order."""
    return [target.service for target in targets if target.service is not None]


def _check_defaults(defaults: ExecutionDefaults) -> list[Problem]:
    ranges = {
        "approval_timeout_seconds": (1, 604800),
        "bake_interval_seconds": (0, 3600),
        "bake_checks": (1, 10000),
        "lock_ttl_seconds": (60, 86400),
    }  # the ranges the intake function accepts
    return [
        Problem(key, getattr(defaults, key), f"{low}-{high}")
        for key, (low, high) in ranges.items()
        if not low <= getattr(defaults, key) <= high
    ]


def s3_arn(uri: str, suffix: str = "*") -> str:
    """`s3://bucket/prefix/` as the ARN of its objects (`arn:aws:s3:::bucket/prefix/*`)."""
    return f"arn:aws:s3:::{uri[5:]}{suffix}"
