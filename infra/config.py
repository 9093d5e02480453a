"""The only reader of stack config: turns the `mlops:` namespace into frozen, typed objects.

Every problem in the stack file is reported at once, each with the key, the value and what is
allowed, before the program registers a single resource.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config

from infra import stack_input, stack_rules
from infra.pack_rules import pack_rules
from infra.schema import MISSING, NAMESPACE, StackContext, blocks
from infra.schema import alerting as alerting_schema
from infra.schema import audit as audit_schema
from infra.schema import cluster as cluster_schema
from infra.schema import delivery as delivery_schema
from infra.schema import endpoints as endpoints_schema
from infra.schema import monitoring as monitoring_schema
from infra.schema import network as network_schema
from infra.schema import services as services_schema
from infra.schema import workflows as workflows_schema
from infra.schema.blocks import Block
from infra.schema.cluster import ClusterSettings
from infra.schema.endpoints import EndpointDeclaration, EndpointSettings
from infra.schema.first_release import FirstRelease
from infra.schema.network import NetworkSettings
from infra.schema.services import ServiceSettings
from infra.schema.stack import AccountSettings, Environment, StackSettings
from infra.schema.workflows import WorkflowsConfig, WorkflowsSettings
from mlops_platform.components.audit import AuditTrailArgs
from mlops_platform.components.core import InvalidInputError, Problem
from mlops_platform.components.eks import GpuClusterArgs, ModelServiceArgs
from mlops_platform.components.network import NetworkArgs
from mlops_platform.components.observability.monitoring_stack import ClusterMonitoringSpec

BLOCKS: tuple[Block, ...] = (
    Block("account", AccountSettings),
    Block("network", NetworkSettings, network_schema, required=True),
    Block("cluster", ClusterSettings, cluster_schema),
    Block("services", ServiceSettings, services_schema, many=True),
    Block("endpoints", EndpointSettings, endpoints_schema, many=True),
    Block("delivery", delivery_schema.DeliveryBlock, delivery_schema),
    Block("workflows", WorkflowsSettings, workflows_schema),
    Block("alerting", alerting_schema.AlertingSettings, alerting_schema),
    Block("audit", audit_schema.AuditSettings),  # built below, with the endpoints' buckets
    Block("monitoring", monitoring_schema.MonitoringSettings, monitoring_schema),
)
"""Every key of the namespace that holds a block of settings: what the parser reads, in order,
and what the unknown-key check allows (with the one-value keys of `StackSettings`)."""
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
_NEUTRAL = StackContext(stack="", environment=None, tags={}, protect_data=True)
"""The context of a block that is only validated (it builds no args)."""
REQUIRED_KEYS = frozenset(
    [*(info.alias or name for name, info in StackSettings.model_fields.items()
       if info.is_required()),
     *(block.key for block in BLOCKS if block.required)]
)  # fmt: skip
"""Keys the stack file must set: a `null` there cannot mean "take the default"."""
ROOT_KEYS = frozenset(info.alias or name for name, info in StackSettings.model_fields.items())
"""Keys of the namespace that hold one value each (`mlops:owner`)."""


class ConfigError(InvalidInputError):
    """The stack's config cannot be deployed; the message lists every problem."""


@dataclass(frozen=True)
class AccountTarget:
    """The account a stack deploys into and the role it assumes there."""

    account_id: str
    role_arn: str
    external_id: str | None
    session_name: str


@dataclass(frozen=True)
class StackConfig:
    """Everything the program needs from a stack's config, validated."""

    stack: str
    region: str
    environment: Environment
    protect_data: bool
    """Protect stateful resources and keep them on destroy (always on in prod)."""
    tags: Mapping[str, str]
    """Tags every taggable resource carries: Environment, Owner, CostCentre, ManagedBy, ..."""
    account: AccountTarget | None
    """Deploy through an assumed role in this account; None: the caller's credentials."""
    network: NetworkArgs
    cluster: GpuClusterArgs | None = None
    """The EKS serving cluster; None when the stack has no `mlops:cluster`."""
    services: tuple[ModelServiceArgs, ...] = ()
    """Model services on the cluster, from `mlops:services`."""
    service_releases: Mapping[str, FirstRelease] = field(default_factory=dict)
    """The services with `release: managed`, by name: their committed first version's seed."""
    endpoints: tuple[EndpointDeclaration, ...] = ()
    """Model endpoints, in the order the stack file lists them (`mlops:endpoints`)."""
    delivery: delivery_schema.DeliveryConfig | None = None
    """Pipelines, CI roles and release records; None when the stack has no `mlops:delivery`."""
    workflows: WorkflowsConfig | None = None
    """The promotion and training workflows; None without `mlops:workflows`."""
    audit: AuditTrailArgs | None = None
    """The audit trail (`mlops:audit`, optional: defaults); None only outside `parse`."""
    alerting: tuple[dict[str, str], ...] = ()
    """Subscriptions of the alerting topic (`mlops:alerting`)."""
    monitoring: ClusterMonitoringSpec = field(default_factory=ClusterMonitoringSpec)
    """The serving cluster's Prometheus retention and alert limits (`mlops:monitoring`)."""


def load() -> StackConfig:
    """Read and validate the running stack's config; raises `ConfigError` listing every problem."""
    prefix = f"{NAMESPACE}:"
    # The SDK keeps the whole config map here, under the engine and under mocks alike; it is the
    # only place that lists the keys, which is how a misspelt key gets reported.
    everything: Mapping[str, Any] = runtime_config.CONFIG.get()
    raw = {key[len(prefix) :]: value for key, value in everything.items() if key.startswith(prefix)}
    outside = stack_input.outside_namespace(everything, pulumi.get_project())
    return parse(raw, region=pulumi.Config("aws").get("region"), stack=pulumi.get_stack(),
                 outside=outside)  # fmt: skip


def parse(
    raw: Mapping[str, str], *, region: str | None, stack: str, outside: list[Problem] | None = None
) -> StackConfig:
    """Validate the `mlops:` keys (without their namespace) and the region; pure.

    `outside`: problems with keys written without the namespace (`stack_input`).
    """
    values, nulls = stack_input.decode(raw, REQUIRED_KEYS)
    problems = [*nulls, *(outside or []), *_unknown_keys(values), *_region_problems(region)]
    root = {key: value for key, value in values.items() if key in ROOT_KEYS}
    settings = blocks.validate(StackSettings, root, "", problems)
    account = blocks.read(BLOCKS[0], values, _NEUTRAL, problems)
    target = _account_target(account, region, stack) if account and region else None
    context = _context(settings, stack, problems, target)
    built = {block.key: blocks.read(block, values, context, problems) for block in BLOCKS[1:]}
    network: NetworkArgs | None = built["network"]
    cluster: GpuClusterArgs | None = built["cluster"]
    service_entries: list[services_schema.ServiceDeclaration | None] = built["services"]
    services = [d.args if d is not None else None for d in service_entries]
    endpoints: list[EndpointDeclaration | None] = built["endpoints"]
    problems += services_schema.cluster_rules(
        services, cluster, cluster_given="cluster" in values, prefix=f"{NAMESPACE}:"
    )
    delivery: delivery_schema.DeliveryConfig | None = built["delivery"]
    managed = {e.name: bool(e.managed_variants) for e in endpoints if e is not None}
    problems += delivery_schema.model_rules(delivery, managed, f"{NAMESPACE}:")
    problems += delivery_schema.account_rules(
        delivery, account_given="account" in values, prefix=f"{NAMESPACE}:"
    )
    endpoints_unread = any(p.field == f"{NAMESPACE}:endpoints" for p in nulls)
    declared = None if endpoints_unread else _declared_buckets(values, region)
    audit = audit_schema.from_settings(
        built["audit"], "audit" in values, context, problems, declared
    )
    alerting = built["alerting"] or alerting_schema.absent("alerting" in values, context, problems)
    rules = stack_rules.Built(network, cluster, services, endpoints)
    problems += stack_rules.stack_rules(
        rules, region=region, account=target.account_id if target else None
    )
    problems += pack_rules(rules, context.environment, protect_data=context.protect_data)
    problems = stack_input.without_echoes(problems, nulls)
    if problems or settings is None or network is None or region is None:
        raise ConfigError(f"Stack config of {stack!r}", problems)
    return StackConfig(
        stack=stack,
        region=region,
        environment=settings.environment,
        protect_data=settings.protect_data,
        tags=context.tags,
        account=target,
        network=network,
        cluster=cluster,
        services=tuple(service for service in services if service is not None),
        service_releases=services_schema.first_releases(service_entries),
        endpoints=tuple(endpoint for endpoint in endpoints if endpoint is not None),
        delivery=delivery,
        workflows=built["workflows"],
        audit=audit,
        alerting=alerting,
        monitoring=built["monitoring"] or ClusterMonitoringSpec(),
    )


def _declared_buckets(values: Mapping[str, Any], region: str | None) -> list[str] | None:
    """ARNs of the artifact buckets the endpoint entries name, valid or not.

    None when the `endpoints` key is there but not a list (null, say): then nothing is known of
    them. A bad entry is reported once, not also as a prod trail without data events.
    """
    partition = partition_of(region or "")
    entries = values.get("endpoints", [])
    if not isinstance(entries, list):
        return None
    prefixes = [e.get("artifactPrefix") for e in entries if isinstance(e, dict)] if isinstance(
        entries, list) else []  # fmt: skip
    arns = (audit_schema.bucket_arn(p, partition) for p in prefixes if isinstance(p, str))
    return sorted({arn for arn in arns if arn})


def _context(
    settings: StackSettings | None,
    stack: str,
    problems: list[Problem],
    account: AccountTarget | None,
) -> StackContext:
    """The stack-wide context, or a neutral one while the stack-wide keys are invalid.

    With the neutral context the blocks still get checked; their environment rules wait.
    """
    if settings is None:
        return StackContext(stack=stack, environment=None, tags={}, protect_data=True)
    return StackContext(
        stack=stack,
        environment=settings.environment,
        tags=_common_tags(settings, stack, problems),
        protect_data=settings.protect_data,
        deploy_role_arn=account.role_arn if account else None,
    )


def partition_of(region: str) -> str:
    """The AWS partition a region belongs to."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _unknown_keys(values: Mapping[str, Any]) -> list[Problem]:
    known = ROOT_KEYS | {block.key for block in BLOCKS}
    allowed = ", ".join(f"{NAMESPACE}:{key}" for key in sorted(known))
    return [
        Problem(f"{NAMESPACE}:{key}", value, f"unknown key; allowed keys: {allowed}")
        for key, value in sorted(values.items())
        if key not in known
    ]


def _region_problems(region: str | None) -> list[Problem]:
    if region is None:
        return [
            Problem(
                "aws:region",
                MISSING,
                "required; set it with `pulumi config set aws:region <region>`",
            )
        ]
    if not _REGION.match(region):
        return [Problem("aws:region", region, "an AWS region such as us-east-1 or eu-west-2")]
    return []


def _common_tags(settings: StackSettings, stack: str, problems: list[Problem]) -> dict[str, str]:
    common = {
        "Environment": settings.environment,
        "Owner": settings.owner,
        "CostCentre": settings.cost_centre,
        "ManagedBy": "pulumi",
        "Project": "mlops-platform",
        "Stack": stack,
    }
    problems += [
        Problem(f"{NAMESPACE}:tags[{key!r}]", value, "a common tag the platform sets itself")
        for key, value in settings.tags.items()
        if key in common
    ]
    return {**settings.tags, **common}


def _account_target(account: AccountSettings, region: str, stack: str) -> AccountTarget:
    return AccountTarget(
        account_id=account.id,
        role_arn=f"arn:{partition_of(region)}:iam::{account.id}:role/{account.role_name}",
        external_id=account.external_id,
        session_name=f"mlops-platform-{stack}",
    )
