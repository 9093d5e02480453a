"""Build logs go to a destination the platform owns."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.codebuild._project import PROJECT
from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.values import dig, is_set

INFO = RuleInfo(
    name="aws-codebuild-project-logs",
    description="CodeBuild projects send build logs to a named CloudWatch Logs group or to S3.",
    resource_types=(PROJECT,),
    severity=Severity.MEDIUM,
    controls=(Control.fsbp("CodeBuild.4"),),
    remediation=(
        "Set logs_config.cloudwatch_logs with status 'ENABLED' and group_name (a KMS-encrypted "
        "group with retention), or logs_config.s3_logs with status 'ENABLED'."
    ),
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    config = dig(args.props, "logsConfig")
    if config is None:
        report("no logs_config; send build logs to a CloudWatch Logs group the platform owns")
        return
    cloudwatch = dig(config, "cloudwatchLogs")
    to_cloudwatch = (
        cloudwatch is not None
        and dig(cloudwatch, "status") != "DISABLED"
        and is_set(cloudwatch, "groupName")
    )
    to_s3 = dig(config, "s3Logs", "status") == "ENABLED"
    if not (to_cloudwatch or to_s3):
        report(
            "build logs go to neither a named CloudWatch Logs group nor S3; set "
            "cloudwatch_logs.group_name or enable s3_logs"
        )


POLICY = ResourceRule(INFO, _check)
