"""Resources of a model service: its model-reading policy and its Kubernetes objects."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_kubernetes as kubernetes

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.eks.service import manifests as _manifests
from mlops_platform.components.eks.service.args import ModelServiceArgs


def read_model_policy(args: ModelServiceArgs, context: AwsContext) -> _iam.PolicyDocument:
    """List and read the model's prefix, nothing else; decrypt only through S3 when keyed."""
    bucket, prefix = args.artifact_location
    bucket_arn = pulumi.Output.concat("arn:", context.partition, ":s3:::", bucket)
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ReadModelArtifacts",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": pulumi.Output.concat(bucket_arn, "/", prefix, "/*"),
        },
        {
            "Sid": "ListModelPrefix",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": bucket_arn,
            "Condition": {"StringLike": {"s3:prefix": [prefix, f"{prefix}/*"]}},
        },
    ]
    if args.artifact_kms_key_arn is not None:
        statements.append(
            {
                "Sid": "DecryptModelArtifactsThroughS3",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": args.artifact_kms_key_arn,
                "Condition": {
                    "StringEquals": {
                        "kms:ViaService": pulumi.Output.concat(
                            "s3.", context.region, ".amazonaws.com"
                        )
                    }
                },
            }
        )
    return _iam.document(*statements)


_TYPED: Mapping[str, Any] = {
    "Namespace": kubernetes.core.v1.Namespace,
    "ServiceAccount": kubernetes.core.v1.ServiceAccount,
    "Service": kubernetes.core.v1.Service,
    "HorizontalPodAutoscaler": kubernetes.autoscaling.v2.HorizontalPodAutoscaler,
    "PodDisruptionBudget": kubernetes.policy.v1.PodDisruptionBudget,
    "Role": kubernetes.rbac.v1.Role,
    "RoleBinding": kubernetes.rbac.v1.RoleBinding,
}


def create_object(
    children: Children,
    suffix: str,
    manifest: _manifests.Manifest,
    depends_on: list[pulumi.Resource],
) -> pulumi.CustomResource:
    """Register `manifest` as it is: a typed resource for built-in kinds, else a custom one."""
    opts = children.opts(depends_on=depends_on)
    body = {key: value for key, value in manifest.items() if key not in ("apiVersion", "kind")}
    if manifest["kind"] not in _TYPED:
        return kubernetes.apiextensions.CustomResource(
            children.name(suffix),
            api_version=manifest["apiVersion"],
            kind=manifest["kind"],
            metadata=body.pop("metadata"),
            spec=body.pop("spec"),
            opts=opts,
        )
    kwargs = {re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower(): value for key, value in body.items()}
    resource: pulumi.CustomResource = _TYPED[manifest["kind"]](
        children.name(suffix), opts=opts, **kwargs
    )
    return resource


def depends_on_of(opts: pulumi.ResourceOptions | None) -> list[pulumi.Resource]:
    """The resources the caller made the component depend on."""
    found = opts.depends_on if opts is not None else None
    if found is None:
        return []
    if isinstance(found, pulumi.Resource):
        return [found]
    return [item for item in found if isinstance(item, pulumi.Resource)]  # type: ignore[union-attr]
