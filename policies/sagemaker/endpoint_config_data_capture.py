"""Endpoint configurations capture requests and predictions for monitoring and audit."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import SAGEMAKER_ENDPOINT_CONFIG
from mlops_platform.policies.common.values import dig, is_false

INFO = RuleInfo(
    name="aws-sagemaker-endpoint-configuration-data-capture",
    description="SageMaker endpoint configurations capture requests and predictions.",
    resource_types=(SAGEMAKER_ENDPOINT_CONFIG,),
    severity=Severity.MEDIUM,
    remediation=(
        "Add data_capture_config with enable_capture=True, a destination_s3_uri in the "
        "data-capture bucket and a kms_key_id."
    ),
)


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    capture = dig(args.props, "dataCaptureConfig")
    if capture is None:
        report("data capture is off; add data_capture_config so predictions can be audited")
    elif is_false(dig(capture, "enableCapture")):
        report("data capture is disabled (enable_capture=False); turn it on")


POLICY = ResourceRule(INFO, _check)
