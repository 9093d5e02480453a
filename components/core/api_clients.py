"""A client's own security group inside the VPC, admitted by a Kubernetes API on 443.

The serving-layer deployer, the promotion verifier and the promotion deploy project each reach
the private cluster API (and the AWS APIs) this way: HTTPS out only, and one ingress rule on the
API's group that names the client's group, never a CIDR.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core.checks import HTTPS
from mlops_platform.components.core.children import Children


@dataclass(frozen=True)
class ClientGroup:
    """What the three resources say about the client, in words a reviewer reads in the console."""

    key: str
    """Names the children: `<key>-sg`, `<key>-https-out` and `api-https-<key>`."""
    group: str
    """The group's description (a change replaces the group: keep it constant)."""
    egress: str
    """What the HTTPS egress is for."""
    ingress: str
    """Who the API admits."""


def https_client_group(
    children: Children,
    client: ClientGroup,
    *,
    vpc_id: pulumi.Input[str],
    api_security_group_id: pulumi.Input[str],
) -> aws.ec2.SecurityGroup:
    """The client's group: HTTPS out only; the API's group admits it on 443."""
    group = aws.ec2.SecurityGroup(
        children.name(f"{client.key}-sg"),
        vpc_id=vpc_id,
        description=client.group,
        tags=children.tagged(f"{client.key}-sg"),
        opts=children.opts(),
    )
    aws.vpc.SecurityGroupEgressRule(
        children.name(f"{client.key}-https-out"),
        security_group_id=group.id,
        description=client.egress,
        ip_protocol="tcp", from_port=HTTPS, to_port=HTTPS, cidr_ipv4="0.0.0.0/0",
        tags=children.tagged(f"{client.key}-https-out"),
        opts=children.opts(),
    )  # fmt: skip
    aws.vpc.SecurityGroupIngressRule(
        children.name(f"api-https-{client.key}"),
        security_group_id=api_security_group_id,
        description=client.ingress,
        ip_protocol="tcp", from_port=HTTPS, to_port=HTTPS, referenced_security_group_id=group.id,
        tags=children.tagged(f"api-https-{client.key}"),
        opts=children.opts(),
    )  # fmt: skip
    return group
