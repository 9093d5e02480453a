"""What a pipeline keeps: its key, artifacts bucket, image repository, log groups and topic."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pulumi_aws as aws

from mlops_platform.components.core import kms as _kms
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.buckets import private_bucket
from mlops_platform.components.core.children import Children
from mlops_platform.components.core.logs import encrypted_log_group

IMAGES_KEPT = 100
"""Images the repository keeps; older ones expire (a release names its image by digest)."""
UNTAGGED_DAYS = 7
"""Untagged images (failed pushes) expire after this many days."""


def log_prefix(children: Children) -> str:
    """Every log group of one pipeline is named under this prefix."""
    return f"/mlops/delivery/{children.prefix}"


def create_key(children: Children, context: AwsContext) -> aws.kms.Key:
    """The pipeline's key: artifacts, images, logs, the approval topic, the dedupe table, DLQ."""
    grants = [
        _kms.logs_may_use_key(
            context, sid="LogsEncryptPipelineLogs", log_group=f"{log_prefix(children)}/*",
            exact=False,
        ),
        {
            "Sid": "EventsUseKey",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": context.account_id}},
        },
    ]  # fmt: skip
    return _kms.encryption_key(
        children.name("key"),
        description=f"Artifacts, images and logs of the delivery pipeline {children.prefix}",
        policy=_kms.key_policy(context, *grants),
        tags=children.tagged("key"),
        opts=children.stateful_opts(),
    )


def create_artifacts_bucket(children: Children, key: aws.kms.Key) -> aws.s3.Bucket:
    """Versioned, KMS-encrypted, TLS-only, no public access, no ACLs."""
    return private_bucket(children, "artifacts", key=key, force_destroy=not children.protect_data)


def lifecycle_policy() -> str:
    """Expire untagged images after a week and keep the newest `IMAGES_KEPT` images."""
    rules = [
        {
            "rulePriority": 1,
            "description": f"untagged images expire after {UNTAGGED_DAYS} days",
            "selection": {
                "tagStatus": "untagged",
                "countType": "sinceImagePushed",
                "countUnit": "days",
                "countNumber": UNTAGGED_DAYS,
            },
            "action": {"type": "expire"},
        },
        {
            "rulePriority": 2,
            "description": f"keep the newest {IMAGES_KEPT} images",
            "selection": {
                "tagStatus": "any",
                "countType": "imageCountMoreThan",
                "countNumber": IMAGES_KEPT,
            },
            "action": {"type": "expire"},
        },
    ]
    return json.dumps({"rules": rules}, sort_keys=True)


def create_repository(children: Children, key: aws.kms.Key) -> aws.ecr.Repository:
    """The serving image's repository: immutable tags, scanned on push, KMS, lifecycle."""
    repository = aws.ecr.Repository(
        children.name("images"),
        image_tag_mutability="IMMUTABLE",
        image_scanning_configuration={"scan_on_push": True},
        # ForceNew in the provider: the key never changes after creation.
        encryption_configurations=[{"encryption_type": "KMS", "kms_key": key.arn}],
        force_delete=not children.protect_data,
        tags=children.tagged("images"),
        opts=children.stateful_opts(),
    )
    aws.ecr.LifecyclePolicy(
        children.name("images-lifecycle"),
        repository=repository.name,
        policy=lifecycle_policy(),
        opts=children.opts(),
    )
    return repository


def create_log_group(
    children: Children, part: str, key: aws.kms.Key, retention_days: int
) -> aws.cloudwatch.LogGroup:
    """The encrypted log group of one part (`build`, `trigger`), named under `log_prefix`."""
    return encrypted_log_group(
        children,
        f"{part}-logs",
        key=key,
        retention_days=retention_days,
        name=f"{log_prefix(children)}/{part}",
    )


def create_approval_topic(
    children: Children, key: aws.kms.Key, subscribers: Sequence[str]
) -> aws.sns.Topic:
    """The topic a manual approval notifies, encrypted, with an e-mail subscription each."""
    topic = aws.sns.Topic(
        children.name("approvals"),
        kms_master_key_id=key.arn,
        tags=children.tagged("approvals"),
        opts=children.opts(),
    )
    for index, address in enumerate(subscribers):
        aws.sns.TopicSubscription(
            children.name(f"approvals-{index}"),
            topic=topic.arn,
            protocol="email",
            endpoint=address,
            opts=children.opts(),
        )
    return topic
