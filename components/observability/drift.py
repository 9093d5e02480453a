"""One endpoint's scheduled drift check: the Lambda, its schedule, reports, alarm and retraining."""

from __future__ import annotations

import json
from typing import cast

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core import kms as _kms
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children, register_outputs
from mlops_platform.components.core.logs import encrypted_log_group
from mlops_platform.components.observability import _reports
from mlops_platform.components.observability import drift_access as _access
from mlops_platform.components.observability.args import DriftDetectorArgs, LambdaCode
from mlops_platform.components.observability.dashboards import DRIFT, DRIFT_DETECTED_METRIC

TYPE = "mlops:observability:DriftDetector"
OUTPUTS = (
    "function_name",
    "schedule_name",
    "report_bucket_name",
    "alarm_name",
    "retrain_rule_name",
)
MEMORY_MB = 2048
"""A 1M-row window with its reference sample fits with room to spare (see docs/monitoring.md)."""
TIMEOUT_SECONDS = 300


class DriftDetector(pulumi.ComponentResource):
    """A Lambda that compares an endpoint's captured traffic with its reference profile.

    EventBridge Scheduler runs it on `schedule`; it publishes `mlops/Drift` metrics and writes a
    JSON report to its own encrypted bucket. Its DriftDetected alarm notifies the alerting
    topic, and with `retrain` on an EventBridge rule on that alarm starts the training workflow.
    """

    function_name: pulumi.Output[str]
    """The drift check's Lambda."""
    schedule_name: pulumi.Output[str]
    """The schedule that runs it."""
    report_bucket_name: pulumi.Output[str]
    """Where reports go: `drift-reports/<endpoint>/yyyy/mm/dd/HHMMSS.json`."""
    alarm_name: pulumi.Output[str]
    """The DriftDetected alarm (`<endpoint>-drift`)."""
    retrain_rule_name: pulumi.Output[str] | None
    """The rule that starts retraining on drift; None when `retrain` is off."""

    def __init__(
        self,
        name: str,
        args: DriftDetectorArgs,
        code: LambdaCode,
        alarm_topic_arn: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Create the check from `code` (the built package); drift notifies `alarm_topic_arn`."""
        super().__init__(TYPE, name, None, opts)
        children = Children(name, self, args.tags, args.protect_data)
        context = AwsContext.of(self)
        group_name = f"/mlops/drift/{name}"
        key = _kms.encryption_key(
            children.name("key"),
            description=f"Encrypts the drift reports, logs and settings of {name}",
            policy=_kms.key_policy(
                context, _kms.logs_may_use_key(context, sid="LogsUseKey", log_group=group_name)
            ),
            tags=children.tagged("key"),
            opts=children.stateful_opts(),
        )
        group = encrypted_log_group(
            children, "logs", key=key, retention_days=args.log_retention_days, name=group_name
        )
        reports = _reports.create_report_bucket(children, key)
        role = aws.iam.Role(
            children.name("role"),
            assume_role_policy=_iam.to_json(
                _iam.service_trust("lambda.amazonaws.com", context.account_id)
            ),
            tags=children.tagged("role"),
            opts=children.opts(),
        )
        role_policy = aws.iam.RolePolicy(
            children.name("role-policy"),
            role=role.id,
            policy=pulumi.Output.all(
                context.partition, args.capture_bucket, reports.arn, group.arn, key.arn,
                args.capture_key_arn,
            ).apply(lambda v: json.dumps(_access.function_policy(
                partition=v[0], capture_bucket=v[1], capture_prefix=args.capture_prefix,
                profile_uri=args.profile_uri, report_bucket_arn=v[2], log_group_arn=v[3],
                key_arn=v[4], capture_key_arn=v[5],
            ))),
            opts=children.opts(),
        )  # fmt: skip
        function = aws.lambda_.Function(
            children.name("function"),
            description="Drift check (KS, PSI); ships " + ", ".join(code.ships),
            runtime=code.runtime,
            handler=code.handler,
            code=code.archive,
            source_code_hash=code.sha256,
            architectures=["x86_64"],
            memory_size=MEMORY_MB,
            timeout=TIMEOUT_SECONDS,
            role=role.arn,
            kms_key_arn=key.arn,
            environment=cast(
                "aws.lambda_.FunctionEnvironmentArgsDict",
                {"variables": _environment(args, reports.bucket)},
            ),
            logging_config={"log_format": "JSON", "log_group": group.name},
            tracing_config={"mode": "Active"},
            tags=children.tagged("function"),
            opts=children.opts(depends_on=[role_policy, group]),
        )
        schedule = _schedule(children, context, args, function)
        alarm = aws.cloudwatch.MetricAlarm(
            children.name("drift-alarm"),
            name=pulumi.Output.concat(args.endpoint_name, "-drift"),
            alarm_description="The drift check found a feature or the prediction drifted",
            namespace=DRIFT,
            metric_name=DRIFT_DETECTED_METRIC,
            dimensions={"Endpoint": args.endpoint_name},
            statistic="Maximum",
            period=args.window_minutes * 60,
            evaluation_periods=1,
            threshold=1,
            comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="notBreaching",  # a window too small to judge is not drift
            alarm_actions=[alarm_topic_arn],
            tags=children.tagged("drift-alarm"),
            opts=children.opts(),
        )
        rule = _retrain_rule(children, context, args, alarm) if args.retrain else None
        self.function_name = function.name
        self.schedule_name = schedule.name
        self.report_bucket_name = reports.bucket
        self.alarm_name = alarm.name
        self.retrain_rule_name = rule.name if rule else None
        register_outputs(self, OUTPUTS)


def _environment(args: DriftDetectorArgs, report_bucket: pulumi.Output[str]) -> dict[str, object]:
    """The handler's variables (`lambdas/drift/handler.py` documents each)."""
    return {
        "DRIFT_ENDPOINT_NAME": args.endpoint_name,
        "DRIFT_CAPTURE_BUCKET": args.capture_bucket,
        "DRIFT_CAPTURE_PREFIX": args.capture_prefix,
        "DRIFT_PROFILE_URI": args.profile_uri,
        "DRIFT_REPORT_BUCKET": report_bucket,
        "DRIFT_REPORT_PREFIX": _access.REPORT_PREFIX,
        "DRIFT_FEATURES": json.dumps([f.as_env() for f in args.features], sort_keys=True),
        "DRIFT_WINDOW_MINUTES": str(args.window_minutes),
        "DRIFT_KS_D_THRESHOLD": f"{args.ks_d_threshold:g}",
        "DRIFT_KS_ALPHA": f"{args.ks_alpha:g}",
        "DRIFT_PSI_BAND": f"{args.psi_band:g}",
        "DRIFT_PSI_ALPHA": f"{args.psi_alpha:g}",
        "DRIFT_MIN_ROWS": str(args.min_rows),
    }


def _service_role(
    children: Children, context: AwsContext, suffix: str, service: str, policy: pulumi.Output[str]
) -> aws.iam.Role:
    role = aws.iam.Role(
        children.name(suffix),
        assume_role_policy=_iam.to_json(_iam.service_trust(service, context.account_id)),
        tags=children.tagged(suffix),
        opts=children.opts(),
    )
    aws.iam.RolePolicy(
        children.name(f"{suffix}-policy"), role=role.id, policy=policy, opts=children.opts()
    )
    return role


def _schedule(
    children: Children,
    context: AwsContext,
    args: DriftDetectorArgs,
    function: aws.lambda_.Function,
) -> aws.scheduler.Schedule:
    """Run the check on `schedule`; the window ends at the scheduled time."""
    role = _service_role(
        children,
        context,
        "schedule-role",
        "scheduler.amazonaws.com",
        function.arn.apply(lambda arn: json.dumps(_access.invoke_policy(arn))),
    )
    return aws.scheduler.Schedule(
        children.name("schedule"),
        description=f"Runs the drift check of {children.prefix}",
        schedule_expression=args.schedule,
        flexible_time_window={"mode": "OFF"},
        target={
            "arn": function.arn,
            "role_arn": role.arn,
            "input": json.dumps({"time": "<aws.scheduler.scheduled-time>"}),
            "retry_policy": {"maximum_retry_attempts": 2},
        },
        opts=children.opts(),
    )


def _retrain_rule(
    children: Children,
    context: AwsContext,
    args: DriftDetectorArgs,
    alarm: aws.cloudwatch.MetricAlarm,
) -> aws.cloudwatch.EventRule:
    """On the alarm's ALARM state, start the training workflow with the endpoint's name."""
    machine = pulumi.Output.from_input(args.training_state_machine_arn)
    role = _service_role(
        children,
        context,
        "retrain-role",
        "events.amazonaws.com",
        machine.apply(lambda arn: json.dumps(_access.start_policy(str(arn)))),
    )
    rule = aws.cloudwatch.EventRule(
        children.name("retrain"),
        description=f"Starts retraining when {children.prefix} detects drift",
        event_pattern=alarm.arn.apply(lambda arn: json.dumps(_access.alarm_pattern(arn))),
        tags=children.tagged("retrain"),
        opts=children.opts(),
    )
    aws.cloudwatch.EventTarget(
        children.name("retrain-target"),
        rule=rule.name,
        arn=machine.apply(str),
        role_arn=role.arn,
        input_transformer={
            "input_paths": {"alarm": "$.detail.alarmName", "time": "$.time"},
            "input_template": pulumi.Output.from_input(args.endpoint_name).apply(
                _access.retrain_input_template
            ),
        },
        opts=children.opts(),
    )
    return rule
