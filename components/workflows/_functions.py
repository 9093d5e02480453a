"""One Lambda function of the workflows: its code, role, policies and encrypted log group."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.core.logs import encrypted_log_group
from mlops_platform.components.workflows import iam as _policies
from mlops_platform.components.workflows import shipping
from mlops_platform.components.workflows.packaging import Archive, build_archive

RUNTIME = "python3.12"
"""The functions' runtime; the handlers need nothing beyond it and boto3, which it ships."""
ARCHITECTURE = "arm64"
"""Graviton: pure-Python code, cheaper per GB-second than x86_64."""
LOG_PREFIX = "/mlops/workflows/"
"""Every function's log group name starts `/mlops/workflows/<component>/`."""


def document(build: Callable[..., dict[str, Any]], **inputs: Any) -> pulumi.Output[str]:
    """A pure document function of `iam.py` applied to resolved inputs, as JSON.

    The functions format ARNs into patterns (`<arn>/*`), so they need plain strings.
    """
    return pulumi.Output.all(**inputs).apply(lambda values: json.dumps(build(**values)))


@dataclass(frozen=True)
class FunctionNetwork:
    """Where a function that must reach private endpoints runs."""

    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """The VPC's private subnets."""
    security_group_ids: Sequence[pulumi.Input[str]]
    """The function's own security groups."""


@dataclass(frozen=True)
class FunctionSpec:
    """What one function needs besides its code."""

    handler: str
    """Its package of `lambdas/` (`rollback_trigger`)."""
    policies: Sequence[pulumi.Input[str]]
    """Its least-privilege documents as JSON (besides its own logs)."""
    environment: Mapping[str, pulumi.Input[str]]
    """Its environment variables."""
    timeout_seconds: int = 60
    reserved_concurrency: int | None = None
    network: FunctionNetwork | None = None
    """Its place in the VPC; None runs it outside (it reaches AWS APIs only)."""


@dataclass(frozen=True)
class Shared:
    """What every function of one component uses."""

    children: Children
    context: AwsContext
    key: aws.kms.Key
    retention_days: int
    lambdas_root: Path
    archive_dir: Path


def code_asset(archive: Archive, directory: Path) -> pulumi.FileArchive:
    """Write the zip once under `directory` (named by its hash) and ship those very bytes."""
    path = directory / shipping.archive_name(archive)
    if not path.is_file() or path.read_bytes() != archive.content:
        directory.mkdir(parents=True, exist_ok=True)
        path.write_bytes(archive.content)
    return pulumi.FileArchive(path.as_posix())


def _vpc_config(network: FunctionNetwork | None) -> aws.lambda_.FunctionVpcConfigArgs | None:
    if network is None:
        return None
    return aws.lambda_.FunctionVpcConfigArgs(
        subnet_ids=network.subnet_ids, security_group_ids=list(network.security_group_ids)
    )


def create_function(shared: Shared, spec: FunctionSpec) -> aws.lambda_.Function:
    """The function, its role (trusting Lambda for this account only) and its log group.

    Tracing is Active: every invocation is sampled into X-Ray, so one promotion reads as one
    trace from the state machine (traced too) through each function.
    """
    children = shared.children
    suffix = spec.handler.replace("_", "-")
    archive = build_archive(shared.lambdas_root, spec.handler)
    logs = encrypted_log_group(
        children,
        f"{suffix}-logs",
        key=shared.key,
        retention_days=shared.retention_days,
        name_prefix=f"{LOG_PREFIX}{children.prefix}/{suffix}-",
    )
    role = aws.iam.Role(
        children.name(f"{suffix}-role"),
        assume_role_policy=_iam.to_json(
            _iam.service_trust("lambda.amazonaws.com", shared.context.account_id)
        ),
        tags=children.tagged(f"{suffix}-role"),
        opts=children.opts(),
    )
    documents = [document(_policies.function_logs_policy, log_group_arn=logs.arn), *spec.policies]
    if spec.network is not None:
        documents.append(_iam.to_json(_policies.function_vpc_policy()))
    attached = [
        aws.iam.RolePolicy(
            children.name(f"{suffix}-{'logs' if index == 0 else index}-policy"),
            role=role.id,
            policy=policy,
            opts=children.opts(),
        )
        for index, policy in enumerate(documents)
    ]
    return aws.lambda_.Function(
        children.name(suffix),
        role=role.arn,
        runtime=RUNTIME,
        architectures=[ARCHITECTURE],
        handler=archive.entry_point,
        code=code_asset(archive, shared.archive_dir),
        source_code_hash=archive.source_code_hash,
        description=shipping.description(archive),
        timeout=spec.timeout_seconds,
        memory_size=256,
        reserved_concurrent_executions=spec.reserved_concurrency,
        environment={"variables": dict(spec.environment)} if spec.environment else None,
        logging_config={"log_format": "JSON", "log_group": logs.name},
        tracing_config={"mode": "Active"},
        vpc_config=_vpc_config(spec.network),
        tags={**children.tagged(suffix), **shipping.code_tags(archive)},
        opts=children.opts(depends_on=[logs, *attached]),
    )
