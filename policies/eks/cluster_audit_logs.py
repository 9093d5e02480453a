"""The control plane sends its audit and API logs to CloudWatch Logs."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import (
    Control,
    Report,
    ResourceRule,
    RuleInfo,
    Settings,
    string_list,
)
from mlops_platform.policies.common.types import EKS_CLUSTER
from mlops_platform.policies.common.values import dig, text_list

INFO = RuleInfo(
    name="aws-eks-cluster-audit-logs",
    description="EKS clusters log API, audit and authenticator events of the control plane.",
    resource_types=(EKS_CLUSTER,),
    severity=Severity.MEDIUM,
    controls=(Control.fsbp("EKS.8"),),
    remediation="Add the missing types to enabled_cluster_log_types.",
    params={
        "requiredLogTypes": string_list(
            "Control-plane log types every cluster enables.", ["api", "audit", "authenticator"]
        )
    },
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    enabled = set(text_list(dig(args.props, "enabledClusterLogTypes")))
    missing = [kind for kind in settings["requiredLogTypes"] if kind not in enabled]
    if missing:
        report(
            f"control-plane logging misses {', '.join(missing)}; add them to "
            "enabled_cluster_log_types"
        )


POLICY = ResourceRule(INFO, _check)
