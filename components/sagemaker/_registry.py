"""The model's registry: a model package group, readable by the other environments' accounts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children

READ_GROUP = ["sagemaker:DescribeModelPackageGroup"]
READ_PACKAGES = [
    "sagemaker:CreateModel",  # serving a package in another account makes a model from it
    "sagemaker:DescribeModelPackage",
    "sagemaker:ListModelPackages",
]
"""What another environment may do with the packages: read and serve them, never approve."""


def group_arn(context: AwsContext, group_name: pulumi.Input[str]) -> pulumi.Output[str]:
    """The ARN of the model package group `group_name` in this account and region."""
    return _sagemaker_arn(context, "model-package-group/", group_name)


def package_arn(
    context: AwsContext, group_name: pulumi.Input[str], version: int
) -> pulumi.Output[str]:
    """The ARN of version `version` of this account's group `group_name`."""
    return _sagemaker_arn(context, "model-package/", group_name, f"/{version}")


def _sagemaker_arn(context: AwsContext, *resource: pulumi.Input[str]) -> pulumi.Output[str]:
    return pulumi.Output.concat(
        "arn:", context.partition, ":sagemaker:", context.region, ":", context.account_id, ":",
        *resource,
    )  # fmt: skip


def reader_policy(
    context: AwsContext, group_name: pulumi.Input[str], readers: Sequence[str]
) -> _iam.PolicyDocument:
    """The group's resource policy: `readers` may read the group and read and serve packages."""
    principals = [
        pulumi.Output.concat("arn:", context.partition, ":iam::", a, ":root") for a in readers
    ]
    packages = _sagemaker_arn(context, "model-package/", group_name, "/*")
    statements: list[dict[str, Any]] = [
        {
            "Sid": "OtherEnvironmentsReadGroup",
            "Effect": "Allow",
            "Principal": {"AWS": principals},
            "Action": READ_GROUP,
            "Resource": group_arn(context, group_name),
        },
        {
            "Sid": "OtherEnvironmentsReadAndServePackages",
            "Effect": "Allow",
            "Principal": {"AWS": principals},
            "Action": READ_PACKAGES,
            "Resource": packages,
        },
    ]
    return _iam.document(*statements)


def create_registry(
    children: Children,
    context: AwsContext,
    *,
    group_name: pulumi.Input[str],
    readers: Sequence[str],
) -> aws.sagemaker.ModelPackageGroup:
    """The model package group, and its resource policy when other accounts read it.

    The group holds the model's registered versions and their approvals: a stateful child.
    """
    group = aws.sagemaker.ModelPackageGroup(
        children.name("registry"),
        model_package_group_name=group_name,
        model_package_group_description=f"Registered versions of the model {children.prefix}",
        tags=children.tagged("registry"),
        opts=children.stateful_opts(),
    )
    if readers:
        aws.sagemaker.ModelPackageGroupPolicy(
            children.name("registry-policy"),
            model_package_group_name=group.model_package_group_name,
            resource_policy=_iam.to_json(
                reader_policy(context, group.model_package_group_name, readers)
            ),
            opts=children.opts(),
        )
    return group
