"""The in-VPC deployer of the serving layer and who may reach the cluster: plain values, checks.

The platform layer (AWS public APIs only) creates a CodeBuild project in the cluster's private
subnets; that project runs `pulumi up` of the serving layer (Helm releases, Kubernetes objects),
so no Kubernetes API call ever comes from outside the VPC. Access to the cluster is granted
explicitly with EKS access entries, never through the creator's bootstrap permissions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

from mlops_platform.components.core.errors import Problem

ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
"""An IAM role ARN, the only principal the platform grants cluster access to."""
_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key/[\w-]+|alias/[\w/-]+)$")
_BACKEND = re.compile(r"^s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(/[\w./-]*)?$")
_PULUMI_VERSION = re.compile(r"^\d+\.\d+\.\d+$")

CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy"
"""Cluster-wide admin: the serving layer creates CRDs, ClusterRoles and namespaces."""
VIEW_POLICY = "AmazonEKSViewPolicy"
"""Read-only access to most objects (no Secrets): CI previews and on-call."""
SERVING_DIRECTORY = "serving"
"""The serving layer's Pulumi project, relative to the repository root."""


@dataclass(frozen=True, kw_only=True)
class DeployerSpec:
    """Where the in-VPC deployer keeps the serving layer's state and finds its source."""

    backend_url: str
    """The Pulumi state backend, an S3 URL (`s3://acme-pulumi-state`); source archives are
    uploaded under `<backend>/sources/` and read from there."""
    secrets_key_arn: str | None = None
    """The KMS key of the stacks' `awskms://` secrets provider, which the deployer may use to
    decrypt state and config secrets; None when the stacks hold no secrets."""
    pulumi_version: str = "3.272.0"
    """The Pulumi CLI version the build installs."""
    serving_prefix: str = "serving"
    """The logical-name prefix of the serving layer's components; the deployer may manage the
    IAM roles named `<serving_prefix>-*` only (the service-account roles it creates)."""

    @property
    def bucket(self) -> str:
        """The backend's bucket."""
        match = _BACKEND.match(self.backend_url)
        assert match is not None  # checked by check_deployer
        return match.group("bucket")


@dataclass(frozen=True)
class AccessGrant:
    """One principal's access entry and the one access policy associated with it."""

    principal_arn: pulumi.Input[str]
    policy: str
    """`CLUSTER_ADMIN_POLICY` or `VIEW_POLICY`, cluster-wide."""
    key: str
    """A short, stable name for the entry's resources (`admin-0`, `viewer-1`)."""


def check_deployer(field: str, spec: DeployerSpec) -> list[Problem]:
    """Every problem with the deployer's settings, each naming its field."""
    problems: list[Problem] = []
    if not _BACKEND.match(spec.backend_url):
        problems.append(
            Problem(
                f"{field}.backend_url", spec.backend_url, "an S3 backend URL such as s3://bucket"
            )
        )
    if spec.secrets_key_arn is not None and not _KEY_ARN.match(spec.secrets_key_arn):
        problems.append(
            Problem(f"{field}.secrets_key_arn", spec.secrets_key_arn, "a KMS key or alias ARN")
        )
    if not _PULUMI_VERSION.match(spec.pulumi_version):
        problems.append(
            Problem(f"{field}.pulumi_version", spec.pulumi_version, "a version such as 3.272.0")
        )
    return problems


def check_roles(field: str, arns: Sequence[str]) -> list[Problem]:
    """A problem for each entry of `arns` that is not a role ARN."""
    return [
        Problem(
            f"{field}[{index}]", arn, "an IAM role ARN such as arn:aws:iam::123456789012:role/ci"
        )
        for index, arn in enumerate(arns)
        if not ROLE_ARN.match(arn)
    ]


def access_grants(
    admin_role_arns: Sequence[str], viewer_role_arns: Sequence[str]
) -> list[AccessGrant]:
    """The access entries of the listed roles, admins first, in the order given."""
    return [
        AccessGrant(arn, CLUSTER_ADMIN_POLICY, f"admin-{index}")
        for index, arn in enumerate(admin_role_arns)
    ] + [
        AccessGrant(arn, VIEW_POLICY, f"viewer-{index}")
        for index, arn in enumerate(viewer_role_arns)
    ]


def buildspec(pulumi_version: str) -> str:
    """The deployer's build: install the Pulumi CLI, then `pulumi up` of the serving layer.

    The stack comes from `STACK` (set per build by whoever starts it), the backend from
    `PULUMI_BACKEND_URL`; the build runs with the project's own role, so no role is assumed
    and `aws eks get-token` signs with the build's credentials.
    """
    return "\n".join(
        [
            "version: 0.2",
            "env:",
            "  variables:",
            '    PULUMI_SKIP_UPDATE_CHECK: "true"',
            "phases:",
            "  install:",
            "    commands:",
            f"      - curl -fsSL https://get.pulumi.com | sh -s -- --version {pulumi_version}",
            "      - export PATH=$HOME/.pulumi/bin:$PATH",
            "      - python3 -m venv .venv && .venv/bin/pip install --quiet -e .",
            "  build:",
            "    commands:",
            "      - export PATH=$HOME/.pulumi/bin:$PATH",
            "      - pulumi login $PULUMI_BACKEND_URL",
            f"      - cd {SERVING_DIRECTORY}",
            "      - pulumi stack select --create $STACK",
            "      - pulumi up --yes --stack $STACK",
            "",
        ]
    )
