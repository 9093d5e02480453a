"""The verifier's way into an EKS cluster (AWS public APIs only).

Its own security group, the API's admission of that group, and an access entry that may read
the services' namespaces only.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core.api_clients import ClientGroup, https_client_group
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.core.placement import Placement
from mlops_platform.components.eks.service.readers import ROLLOUT_READERS
from mlops_platform.components.workflows._functions import FunctionNetwork
from mlops_platform.components.workflows.args import ServiceCluster

VERIFIER = ClientGroup(
    key="verify",
    group="Verify function: HTTPS out only (cluster API, AWS APIs)",
    egress="HTTPS to the cluster API and the AWS APIs (SSM, SageMaker, EKS, STS)",
    ingress="Kubernetes API from the promotion verifier",
)
"""The verifier's group, admitted by the cluster API."""

VIEW_POLICY = "AmazonEKSViewPolicy"
"""Read-only access to the namespaced objects of the built-in API groups (ReplicaSets); the
Rollouts come through `ROLLOUT_READERS`, which each ModelService binds in its namespace."""


def verifier_network(
    children: Children, cluster: ServiceCluster, placement: Placement
) -> FunctionNetwork:
    """Private subnets and a group of its own that may send HTTPS only.

    The cluster's API security group admits that group on 443.
    """
    group = https_client_group(
        children,
        VERIFIER,
        vpc_id=placement.vpc_id,
        api_security_group_id=cluster.api_security_group_id,
    )
    return FunctionNetwork(subnet_ids=placement.subnet_ids, security_group_ids=[group.id])


def grant_read(
    children: Children,
    context: AwsContext,
    cluster: ServiceCluster,
    principal_arn: pulumi.Input[str],
    namespaces: Sequence[str],
) -> aws.eks.AccessPolicyAssociation:
    """An access entry of the verifier's role: read-only, scoped to the services' namespaces."""
    entry = aws.eks.AccessEntry(
        children.name("verify-access"),
        cluster_name=cluster.cluster_name,
        principal_arn=principal_arn,
        type="STANDARD",
        kubernetes_groups=[ROLLOUT_READERS],
        tags=children.tagged("verify-access"),
        opts=children.opts(),
    )
    return aws.eks.AccessPolicyAssociation(
        children.name("verify-access-policy"),
        cluster_name=cluster.cluster_name,
        principal_arn=entry.principal_arn,
        policy_arn=pulumi.Output.concat(
            "arn:", context.partition, ":eks::aws:cluster-access-policy/", VIEW_POLICY
        ),
        access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(
            type="namespace", namespaces=sorted(set(namespaces))
        ),
        opts=children.opts(),
    )
