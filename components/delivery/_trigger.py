"""The registry trigger: Approved packages of the model's group start its pipeline, once each."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children
from mlops_platform.components.delivery import access_spec, pipeline_spec
from mlops_platform.components.delivery._builds import create_role
from mlops_platform.components.delivery.archive import HANDLER, trigger_archive


def _archive_asset(content: bytes) -> pulumi.AssetArchive:
    """The archive's files as string assets (no paths of the building machine in the plan)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return pulumi.AssetArchive(
            {
                name: pulumi.StringAsset(archive.read(name).decode("utf-8"))
                for name in archive.namelist()
            }
        )


def trigger_policy(  # noqa: PLR0917 - the ARNs of the trigger's resources, each one named.
    pipeline_arn: str,
    table_arn: str,
    log_group_arn: str,
    queue_arn: str,
    key_arn: str,
    packages_arn: str,
) -> dict[str, Any]:
    """The trigger's role: `access_spec.registry_trigger_policy`, its dead letters and its key."""
    policy = access_spec.registry_trigger_policy(
        pipeline_arn=pipeline_arn,
        table_arn=table_arn,
        log_group_arn=log_group_arn,
        packages_arn=packages_arn,
    )
    policy["Statement"] += [
        {
            "Sid": "DeadLetters",
            "Effect": "Allow",
            "Action": "sqs:SendMessage",
            "Resource": queue_arn,
        },
        {
            "Sid": "Key",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
            "Resource": key_arn,
        },
    ]
    return policy


def create_table(children: Children, key: aws.kms.Key) -> aws.dynamodb.Table:
    """The dedupe table: one item per package ARN that started a run; PITR and KMS."""
    return aws.dynamodb.Table(
        children.name("dedupe"),
        billing_mode="PAY_PER_REQUEST",
        hash_key="package_arn",
        attributes=[{"name": "package_arn", "type": "S"}],
        point_in_time_recovery={"enabled": True},
        server_side_encryption={"enabled": True, "kms_key_arn": key.arn},
        deletion_protection_enabled=children.protect_data,
        tags=children.tagged("dedupe"),
        opts=children.stateful_opts(),
    )


def create_trigger(
    children: Children,
    context: AwsContext,
    *,
    key: aws.kms.Key,
    log_group: aws.cloudwatch.LogGroup,
    pipeline: aws.codepipeline.Pipeline,
    model_package_group: pulumi.Input[str],
) -> tuple[aws.cloudwatch.EventRule, aws.lambda_.Function, aws.dynamodb.Table]:
    """The rule (Approved packages of this group only), the function, its table and DLQ."""
    table = create_table(children, key)
    dead_letters = aws.sqs.Queue(
        children.name("trigger-dlq"),
        kms_master_key_id=key.arn,
        message_retention_seconds=1209600,  # 14 days, the longest SQS keeps a message
        tags=children.tagged("trigger-dlq"),
        opts=children.opts(),
    )
    packages = pulumi.Output.concat(
        "arn:", context.partition, ":sagemaker:", context.region, ":", context.account_id,
        ":model-package/", model_package_group, "/*",
    )  # fmt: skip
    policy = pulumi.Output.all(
        pipeline.arn, table.arn, log_group.arn, dead_letters.arn, key.arn, packages
    ).apply(lambda v: json.dumps(trigger_policy(*v), sort_keys=True))
    role = create_role(children, "trigger", "lambda.amazonaws.com", context, policy)
    content = trigger_archive()
    function = aws.lambda_.Function(
        children.name("trigger"),
        role=role[0].arn,
        runtime="python3.12",
        handler=f"lambdas.{HANDLER}.handler.handler",
        code=_archive_asset(content),
        source_code_hash=base64.b64encode(hashlib.sha256(content).digest()).decode(),
        timeout=30,
        memory_size=256,
        kms_key_arn=key.arn,
        logging_config={"log_format": "JSON", "log_group": log_group.name},
        dead_letter_config={"target_arn": dead_letters.arn},
        environment={
            "variables": {
                "PIPELINE_NAME": pipeline.name,
                "MODEL_PACKAGE_GROUP": model_package_group,
                "DEDUPE_TABLE": table.name,
            }
        },
        tags=children.tagged("trigger"),
        opts=children.opts(depends_on=[role[1]]),
    )
    rule = aws.cloudwatch.EventRule(
        children.name("approved"),
        description="An Approved package of the model's group starts its pipeline",
        event_pattern=pulumi.Output.from_input(model_package_group).apply(
            lambda group: json.dumps(pipeline_spec.approved_package_pattern(group), sort_keys=True)
        ),
        tags=children.tagged("approved"),
        opts=children.opts(),
    )
    permission = aws.lambda_.Permission(
        children.name("trigger-invoke"),
        action="lambda:InvokeFunction",
        function=function.name,
        principal="events.amazonaws.com",
        source_arn=rule.arn,
        source_account=context.account_id,
        opts=children.opts(),
    )
    aws.cloudwatch.EventTarget(
        children.name("approved-target"),
        rule=rule.name,
        arn=function.arn,
        retry_policy={"maximum_event_age_in_seconds": 3600, "maximum_retry_attempts": 8},
        opts=children.opts(depends_on=[permission]),
    )
    return rule, function, table
