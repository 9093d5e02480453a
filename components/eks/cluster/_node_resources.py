"""The resources behind node groups: the node role, launch templates and managed node groups."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.children import Children
from mlops_platform.components.eks.cluster.node_groups import (
    GPU_AMI_TYPE,
    SYSTEM_AMI_TYPE,
    NodeGroupSpec,
    node_labels,
    node_taints,
)

ROOT_DEVICE = "/dev/xvda"
"""The root volume's device name on Amazon Linux 2023."""
NODE_POLICIES = ("AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly")
"""The only managed policies nodes get; the VPC CNI's ENI rights go to its own IRSA role."""
IMDS_HOP_LIMIT = 1
"""One hop: the node itself reaches the instance metadata service, its pods do not."""


def node_role(
    children: Children, partition: pulumi.Input[str]
) -> tuple[aws.iam.Role, list[aws.iam.RolePolicyAttachment]]:
    """The role every node assumes, with the node policies attached and nothing else."""
    role = aws.iam.Role(
        children.name("node-role"),
        description=f"Nodes of {children.prefix}",
        # EC2 assumes it for the nodes' instance profile and sends no source account.
        assume_role_policy=_iam.to_json(_iam.service_trust("ec2.amazonaws.com", None)),
        tags=children.tagged("node-role"),
        opts=children.opts(),
    )
    attachments = [
        aws.iam.RolePolicyAttachment(
            children.name(f"node-{policy}"),
            role=role.name,
            policy_arn=pulumi.Output.concat("arn:", partition, ":iam::aws:policy/", policy),
            opts=children.opts(),
        )
        for policy in NODE_POLICIES
    ]
    return role, attachments


def group_suffix(spec: NodeGroupSpec, *, gpu: bool) -> str:
    """The part of a node group's child names after the component's name."""
    return f"gpu-{spec.name}" if gpu else f"{spec.name}-nodes"


def launch_template(
    children: Children, spec: NodeGroupSpec, *, gpu: bool
) -> aws.ec2.LaunchTemplate:
    """IMDSv2 only, one hop, encrypted gp3 root volume; EKS picks the AMI from the AMI type."""
    suffix = f"{group_suffix(spec, gpu=gpu)}-lt"
    node_tags = children.tagged(group_suffix(spec, gpu=gpu))
    return aws.ec2.LaunchTemplate(
        children.name(suffix),
        description=f"Nodes of the {spec.name} group of {children.prefix}",
        update_default_version=True,
        metadata_options={
            "http_endpoint": "enabled",
            "http_tokens": "required",
            "http_put_response_hop_limit": IMDS_HOP_LIMIT,
        },
        block_device_mappings=[
            {
                "device_name": ROOT_DEVICE,
                "ebs": {
                    "volume_size": spec.disk_size_gib,
                    "volume_type": "gp3",
                    "encrypted": "true",
                    "delete_on_termination": "true",
                },
            }
        ],
        tag_specifications=[
            {"resource_type": "instance", "tags": node_tags},
            {"resource_type": "volume", "tags": node_tags},
        ],
        tags=children.tagged(suffix),
        opts=children.opts(),
    )


def node_group(
    children: Children,
    spec: NodeGroupSpec,
    *,
    gpu: bool,
    cluster: aws.eks.Cluster,
    role: aws.iam.Role,
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
    depends_on: list[pulumi.Resource],
) -> aws.eks.NodeGroup:
    """One managed node group booting from its own launch template.

    The desired size is left to the cluster autoscaler after creation (`ignore_changes`), so an
    update never shrinks a group that is busy serving.
    """
    template = launch_template(children, spec, gpu=gpu)
    suffix = group_suffix(spec, gpu=gpu)
    return aws.eks.NodeGroup(
        children.name(suffix),
        cluster_name=cluster.name,
        node_role_arn=role.arn,
        subnet_ids=subnet_ids,
        ami_type=GPU_AMI_TYPE if gpu else SYSTEM_AMI_TYPE,
        capacity_type=spec.capacity_type,
        instance_types=list(spec.instance_types),
        scaling_config={
            "min_size": spec.min_size,
            "max_size": spec.max_size,
            "desired_size": spec.initial_size,
        },
        update_config={"max_unavailable": 1},
        labels=node_labels(spec, gpu=gpu),
        taints=[
            {"key": taint.key, "value": taint.value, "effect": taint.effect}
            for taint in node_taints(spec, gpu=gpu)
        ],
        launch_template={"id": template.id, "version": template.latest_version.apply(str)},
        tags=children.tagged(suffix),
        opts=pulumi.ResourceOptions.merge(
            children.opts(depends_on=depends_on),
            pulumi.ResourceOptions(ignore_changes=["scalingConfig.desiredSize"]),
        ),
    )
