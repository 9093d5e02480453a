"""One environment's serving layer: cluster software and model services, from inside the VPC.

It reads the cluster from the platform stack's `cluster` output (a StackReference to
`<organization>/mlops-platform/<stack>`) and the services from the same stack file. Its AWS
provider uses the caller's own credentials (the deployer's build role) and refuses any other
account than the stack's; no role is assumed, so an account's external id is never needed.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from infra import config
from infra.cluster_monitoring import create_cluster_monitoring
from infra.config import StackConfig
from infra.service_releases import served_services
from infra.serving import CLUSTER_OUTPUT
from mlops_platform.components.eks import ClusterSoftware, ModelService, PlatformCluster

PLATFORM_PROJECT = "mlops-platform"
"""The platform layer's Pulumi project, whose stack of the same name this layer reads."""


def platform_stack_name(organization: str, stack: str) -> str:
    """The fully qualified name of the platform stack a serving stack reads."""
    return f"{organization}/{PLATFORM_PROJECT}/{stack}"


def serving_options(stack: StackConfig) -> pulumi.ResourceOptions:
    """The caller's credentials, pinned to the stack's account when it names one."""
    if stack.account is None:
        return pulumi.ResourceOptions()
    provider = aws.Provider(
        f"{stack.environment}-serving-account",
        region=stack.region,
        allowed_account_ids=[stack.account.account_id],
    )
    return pulumi.ResourceOptions(providers={"aws": provider})


def main() -> None:
    """Install the cluster software and every service on the platform stack's cluster."""
    stack = config.load()
    if stack.cluster is None:
        return
    reference = pulumi.StackReference(
        platform_stack_name(pulumi.get_organization() or "organization", pulumi.get_stack())
    )
    cluster = reference.require_output(CLUSTER_OUTPUT)
    options = serving_options(stack)
    software = ClusterSoftware(
        f"{stack.environment}-serving-software",
        PlatformCluster(
            cluster_name=cluster["name"],
            endpoint=cluster["endpoint"],
            certificate_authority=cluster["certificateAuthority"],
            oidc_provider_arn=cluster["oidcProviderArn"],
            oidc_issuer_url=cluster["oidcIssuerUrl"],
            kubernetes_version=stack.cluster.kubernetes_version,
        ),
        stack.tags,
        options,
    )
    access = software.access()
    services = {
        service.service_name: ModelService(
            f"{stack.environment}-serving-{service.service_name}", service, access, options
        )
        for service in served_services(stack, options)  # managed ones: their release records
    }
    pulumi.export("modelServices", {name: s.service_url for name, s in services.items()})
    create_cluster_monitoring(stack, reference, access, list(services.values()), options)
