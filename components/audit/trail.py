"""A multi-region CloudTrail whose record nobody can alter, watched by the CIS alarms."""

from __future__ import annotations

import json
from typing import Any, cast

import pulumi
import pulumi_aws as aws

from mlops_platform.components.audit import _buckets, _ledger, cis, documents
from mlops_platform.components.audit.args import AuditTrailArgs
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children, register_outputs
from mlops_platform.components.core.kms import KEY_DELETION_WINDOW_DAYS

TYPE = "mlops:audit:AuditTrail"
OUTPUTS = (
    "trail_arn",
    "trail_name",
    "bucket_name",
    "access_log_bucket_name",
    "key_arn",
    "log_group_name",
    "alarm_names",
    "ledger_export_schedule_name",
)


class AuditTrail(pulumi.ComponentResource):
    """CloudTrail for every region, delivered to a locked bucket and to CloudWatch Logs.

    Log files are validated (digest files) and encrypted with the trail's own key, which only
    the named readers may use to decrypt. The audit bucket is created with Object Lock, so no
    object version can be deleted or overwritten before its retention ends; its access logs go
    to a second bucket. CIS metric filters on the log group raise alarms on `alarm_topic_arn`.
    """

    trail_arn: pulumi.Output[str]
    """The trail's ARN."""
    trail_name: pulumi.Output[str]
    """The trail's name (explicit: the policies name its ARN before it exists)."""
    bucket_name: pulumi.Output[str]
    """The locked audit bucket: log files under `AWSLogs/`, ledger exports under `ledger/`."""
    access_log_bucket_name: pulumi.Output[str]
    """Where S3 writes the audit bucket's access logs."""
    key_arn: pulumi.Output[str]
    """The key that encrypts the log files, the bucket and the log group."""
    log_group_name: pulumi.Output[str]
    """The CloudWatch Logs copy of the trail: query it with Logs Insights."""
    alarm_names: pulumi.Output[list[str]]
    """The CIS alarms, in benchmark order."""
    ledger_export_schedule_name: pulumi.Output[str] | None
    """The schedule exporting the ledger; None when no ledger table is connected."""

    def __init__(
        self,
        name: str,
        args: AuditTrailArgs,
        alarm_topic_arn: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Create the trail; the CIS alarms notify `alarm_topic_arn` (an encrypted topic)."""
        super().__init__(TYPE, name, None, opts)
        children = Children(name, self, args.tags, args.protect_data)
        context = AwsContext.of(self)
        group_name = f"/mlops/audit/{args.trail_name}"
        group_arn = context.arn("logs", f"log-group:{group_name}")
        trail_arn = pulumi.Output.all(context.partition, context.region, context.account_id).apply(
            lambda v: documents.trail_arn(v[0], v[1], v[2], args.trail_name)
        )
        export_role = (
            _ledger.create_export_role(children, context) if args.ledger_table_arn else None
        )
        key = _create_key(children, context, args, trail_arn, group_arn, export_role)
        group = aws.cloudwatch.LogGroup(
            children.name("logs"),
            name=group_name,
            kms_key_id=key.arn,
            retention_in_days=args.log_retention_days,
            deletion_protection_enabled=args.protect_data,
            tags=children.tagged("logs"),
            opts=children.stateful_opts(),
        )
        access_logs = _buckets.create_access_log_bucket(children, key)
        lock = documents.object_lock_settings(args.environment, args.retention_days, args.lock_mode)
        bucket = _buckets.create_audit_bucket(children, key=key, lock=lock, access_logs=access_logs)
        policies = _bucket_policies(children, context, bucket, access_logs, trail_arn)
        role, role_policy = _create_log_role(children, trail_arn, group_arn)
        trail = aws.cloudtrail.Trail(
            children.name("trail"),
            name=args.trail_name,
            s3_bucket_name=bucket.id,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            enable_logging=True,
            kms_key_id=key.arn,
            cloud_watch_logs_group_arn=pulumi.Output.concat(group.arn, ":*"),
            cloud_watch_logs_role_arn=role.arn,
            advanced_event_selectors=cast(
                "Any",
                pulumi.Output.all(*args.data_bucket_arns).apply(
                    lambda arns: documents.event_selectors(list(arns))
                ),
            ),
            tags=children.tagged("trail"),
            opts=pulumi.ResourceOptions.merge(
                children.stateful_opts(),
                pulumi.ResourceOptions(depends_on=[*policies, role_policy]),
            ),
        )
        alarms = _cis_alarms(children, group, alarm_topic_arn, args.trail_name)
        schedule = None
        if args.ledger_table_arn is not None and export_role is not None:
            schedule = _ledger.create_export(
                children,
                context,
                role=export_role,
                table_arn=args.ledger_table_arn,
                bucket=bucket,
                key=key,
                schedule=args.ledger_export_schedule,
            )
        self.trail_arn = trail.arn
        self.trail_name = trail.name
        self.bucket_name = bucket.bucket
        self.access_log_bucket_name = access_logs.bucket
        self.key_arn = key.arn
        self.log_group_name = group.name
        self.alarm_names = pulumi.Output.all(*[alarm.name for alarm in alarms])
        self.ledger_export_schedule_name = schedule.name if schedule else None
        register_outputs(self, OUTPUTS)


def _create_key(  # noqa: PLR0917 - private helper, each argument a distinct input
    children: Children,
    context: AwsContext,
    args: AuditTrailArgs,
    trail_arn: pulumi.Output[str],
    group_arn: pulumi.Output[str],
    export_role: aws.iam.Role | None,
) -> aws.kms.Key:
    """The trail's key: the account manages it, CloudTrail encrypts, named readers decrypt."""
    exporter = export_role.arn if export_role else None

    def policy(values: list[Any]) -> str:
        account, region, trail, group, exporter_arn = values
        document = documents.trail_key_policy(
            account_id=account,
            region=region,
            trail=trail,
            reader_arns=list(args.reader_arns),
            log_group_arn=group,
        )
        document["Statement"].append(_access_log_key_statement(account))
        if exporter_arn:
            document["Statement"].append(_export_key_statement(exporter_arn, region))
        return json.dumps(document)

    return aws.kms.Key(
        children.name("key"),
        description=f"Encrypts the audit trail {args.trail_name}",
        enable_key_rotation=True,
        deletion_window_in_days=KEY_DELETION_WINDOW_DAYS,
        policy=pulumi.Output.all(
            context.account_id, context.region, trail_arn, group_arn, exporter
        ).apply(policy),
        tags=children.tagged("key"),
        opts=children.stateful_opts(),
    )


def _access_log_key_statement(account_id: str) -> dict[str, Any]:
    """S3 log delivery may encrypt the access logs of this account's audit bucket."""
    return {
        "Sid": "S3LogDeliveryEncryptsAccessLogs",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "kms:GenerateDataKey*",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
    }


def _export_key_statement(role_arn: str, region: str) -> dict[str, Any]:
    """The ledger export's role may encrypt through S3 only (the key grants IAM nothing)."""
    return {
        "Sid": "LedgerExportEncryptsThroughS3",
        "Effect": "Allow",
        "Principal": {"AWS": role_arn},
        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
        "Resource": "*",
        "Condition": {"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}},
    }


def _bucket_policies(
    children: Children,
    context: AwsContext,
    bucket: aws.s3.Bucket,
    access_logs: aws.s3.Bucket,
    trail_arn: pulumi.Output[str],
) -> list[aws.s3.BucketPolicy]:
    audit = aws.s3.BucketPolicy(
        children.name("bucket-policy"),
        bucket=bucket.id,
        policy=pulumi.Output.all(bucket.arn, trail_arn, context.account_id).apply(
            lambda v: json.dumps(
                documents.audit_bucket_policy(bucket_arn=v[0], trail=v[1], account_id=v[2])
            )
        ),
        opts=children.opts(),
    )
    logs = aws.s3.BucketPolicy(
        children.name("access-logs-policy"),
        bucket=access_logs.id,
        policy=pulumi.Output.all(access_logs.arn, bucket.arn, context.account_id).apply(
            lambda v: json.dumps(
                _buckets.access_log_policy(
                    log_bucket_arn=v[0], source_bucket_arn=v[1], account_id=v[2]
                )
            )
        ),
        opts=children.opts(),
    )
    return [audit, logs]


def _create_log_role(
    children: Children, trail_arn: pulumi.Output[str], group_arn: pulumi.Output[str]
) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
    """The role CloudTrail assumes for this trail, to write to this log group only."""
    role = aws.iam.Role(
        children.name("logs-role"),
        assume_role_policy=trail_arn.apply(lambda t: json.dumps(documents.log_role_trust(t))),
        tags=children.tagged("logs-role"),
        opts=children.opts(),
    )
    policy = aws.iam.RolePolicy(
        children.name("logs-role-policy"),
        role=role.id,
        policy=group_arn.apply(lambda g: json.dumps(documents.log_role_policy(g))),
        opts=children.opts(),
    )
    return role, policy


_TOPIC = "__topic__"


def _cis_alarms(
    children: Children,
    group: aws.cloudwatch.LogGroup,
    topic_arn: pulumi.Input[str],
    prefix: str,
) -> list[aws.cloudwatch.MetricAlarm]:
    """One metric filter and one alarm per CIS control, in benchmark order."""
    filters = cis.metric_filters("__group__")
    alarms = []
    for key, spec in cis.alarms(_TOPIC, prefix).items():
        flt = {**filters[key], "log_group_name": group.name}
        metric_filter = aws.cloudwatch.LogMetricFilter(
            children.name(f"cis-{key}"), **flt, opts=children.opts()
        )
        alarms.append(
            aws.cloudwatch.MetricAlarm(
                children.name(f"cis-{key}-alarm"),
                **{**spec, "alarm_actions": [topic_arn]},
                tags=children.tagged(f"cis-{key}-alarm"),
                opts=children.opts(depends_on=[metric_filter]),
            )
        )
    return alarms
