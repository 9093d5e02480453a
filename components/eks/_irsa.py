"""IAM roles for Kubernetes service accounts (IRSA), bound to one cluster and one account."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.children import Children

STS_AUDIENCE = "sts.amazonaws.com"
"""The audience of the service-account tokens EKS projects for IRSA."""


def issuer_host(issuer_url: pulumi.Input[str]) -> pulumi.Output[str]:
    """The OIDC issuer without its scheme, as IAM condition keys spell it."""
    return pulumi.Output.from_input(issuer_url).apply(lambda url: url.removeprefix("https://"))


def trust(
    provider_arn: pulumi.Input[str], issuer_url: pulumi.Input[str], namespace: str, account: str
) -> _iam.PolicyDocument:
    """Trust policy that lets exactly one service account of one cluster assume a role.

    Both the subject (`system:serviceaccount:<namespace>:<account>`) and the audience are pinned
    with `StringEquals`, so no other service account, and no other use of the token, qualifies.
    """
    subject = f"system:serviceaccount:{namespace}:{account}"
    condition = issuer_host(issuer_url).apply(
        lambda host: {
            "StringEquals": {f"{host}:sub": subject, f"{host}:aud": STS_AUDIENCE},
        }
    )
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Federated": provider_arn},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition,
    }
    return _iam.document(statement)


def service_account_role(
    children: Children,
    suffix: str,
    *,
    provider_arn: pulumi.Input[str],
    issuer_url: pulumi.Input[str],
    namespace: str,
    account: str,
) -> aws.iam.Role:
    """A role only `namespace/account` of the cluster can assume; permissions come separately."""
    return aws.iam.Role(
        children.name(suffix),
        description=f"Service account {namespace}/{account} of {children.prefix}",
        assume_role_policy=_iam.to_json(trust(provider_arn, issuer_url, namespace, account)),
        tags=children.tagged(suffix),
        opts=children.opts(),
    )
