"""Clusters pin a Kubernetes version that EKS still supports."""

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
from mlops_platform.policies.common.values import dig

INFO = RuleInfo(
    name="aws-eks-cluster-supported-version",
    description="EKS clusters pin a Kubernetes version in EKS standard support.",
    resource_types=(EKS_CLUSTER,),
    severity=Severity.MEDIUM,
    controls=(Control.fsbp("EKS.2"),),
    remediation=(
        "Set version to a supported release; update supportedVersions in policies/config/*.json "
        "as AWS ends standard support for old releases."
    ),
    params={
        "supportedVersions": string_list(
            "Kubernetes versions in EKS standard support.", ["1.32", "1.33", "1.34"]
        )
    },
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    supported = list(settings["supportedVersions"])
    version = dig(args.props, "version")
    if version is None:
        report(f"no Kubernetes version is pinned; set version to one of {', '.join(supported)}")
    elif version not in supported:
        report(f"Kubernetes {version} is not supported; use one of {', '.join(supported)}")


POLICY = ResourceRule(INFO, _check)
