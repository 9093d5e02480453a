"""Config and pack agree: each mandatory rule is refused by config in its environment, or is
documented here as one the config cannot break."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from infra.config import ConfigError, parse
from infra.pack_limits import mandatory_rules, parameter
from tests.infra.test_serving_stacks import stack_values

ENVIRONMENTS = ("dev", "staging", "prod")

Case = Callable[[str], tuple[dict[str, Any], str] | None]
"""For an environment: stack-file changes the rule forbids there and the key config names;
None when the rule's limit in that environment leaves the config nothing to break."""


def _cluster(stack: str, **changes: Any) -> dict[str, Any]:
    return {**json.loads(stack_values(stack)["cluster"]), **changes}


def _endpoints(stack: str, variant: dict[str, Any] | None = None, **changes: Any) -> Any:
    endpoints = json.loads(stack_values(stack)["endpoints"])
    endpoints[0] = {**endpoints[0], **changes}
    if variant is not None:
        endpoints[0]["variants"][0] = {**endpoints[0]["variants"][0], **variant}
    return endpoints


def _version(env: str) -> tuple[dict[str, Any], str]:
    return {"cluster": _cluster(env, kubernetesVersion="1.31")}, "mlops:cluster.kubernetesVersion"


def _public_endpoint(env: str) -> tuple[dict[str, Any], str] | None:
    if parameter(env, "aws-eks-cluster-private-endpoint", "allowPublicEndpoint"):
        return None  # public allowed here; private access is always on (the component sets it)
    cluster = _cluster(env, endpointPublicAccess=True, publicAccessCidrs=["203.0.113.0/24"])
    return {"cluster": cluster}, "mlops:cluster.endpointPublicAccess"


def _public_cidrs(env: str) -> tuple[dict[str, Any], str]:
    cidrs = ["0.0.0.0/1", "128.0.0.0/1"]
    cluster = _cluster(env, endpointPublicAccess=True, publicAccessCidrs=cidrs)
    return {"cluster": cluster}, "mlops:cluster.publicAccessCidrs"


def _private_cidrs(env: str) -> tuple[dict[str, Any], str]:
    cluster = _cluster(env, privateAccessCidrs=["0.0.0.0/1", "128.0.0.0/1"])
    return {"cluster": cluster}, "mlops:cluster.privateAccessCidrs"


def _retention(env: str) -> tuple[dict[str, Any], str]:
    return {"cluster": _cluster(env, logRetentionDays=7)}, "mlops:cluster.logRetentionDays"


def _instance_type(env: str) -> tuple[dict[str, Any], str]:
    system = {"name": "system", "instanceTypes": ["r5.24xlarge"], "minSize": 2, "maxSize": 4}
    return {"cluster": _cluster(env, systemNodeGroup=system)}, (
        "mlops:cluster.systemNodeGroup.instanceTypes[0]"
    )


def _gpu_capacity(env: str) -> tuple[dict[str, Any], str]:
    cap = parameter(env, "aws-eks-node-group-gpu-capacity", "maxGpuNodes")
    groups = _cluster(env)["gpuNodeGroups"]
    groups[0] = {**groups[0], "maxSize": cap + 1}
    return {"cluster": _cluster(env, gpuNodeGroups=groups)}, "mlops:cluster.gpuNodeGroups"


def _protected(_env: str) -> tuple[dict[str, Any], str]:
    return {"protectData": "false"}, "mlops:protectData"


def _rollout(env: str) -> tuple[dict[str, Any], str]:
    rollout = {"strategy": "ALL_AT_ONCE"}
    return {"endpoints": _endpoints(env, rollout=rollout)}, "mlops:endpoints[0].rollout.strategy"


def _capture(env: str) -> tuple[dict[str, Any], str]:
    capture = {"enabled": False}
    return {"endpoints": _endpoints(env, dataCapture=capture)}, (
        "mlops:endpoints[0].dataCapture.enabled"
    )


def _isolation(env: str) -> tuple[dict[str, Any], str]:
    return {"endpoints": _endpoints(env, networkIsolation=False)}, (
        "mlops:endpoints[0].networkIsolation"
    )


def _instances(env: str) -> tuple[dict[str, Any], str]:
    least = parameter(env, "aws-sagemaker-endpoint-configuration-min-instances", "minInstances")
    variant = {"instanceCount": least - 1, "autoscaling": None}
    endpoints = _endpoints(env, variant=variant)
    endpoints[0]["variants"][0] = {k: v for k, v in endpoints[0]["variants"][0].items() if v}
    endpoints[0]["variants"][0]["instanceCount"] = least - 1
    return {"endpoints": endpoints}, "mlops:endpoints[0].variants[0].instanceCount"


def _capacity(env: str) -> tuple[dict[str, Any], str]:
    least = parameter(env, "aws-appautoscaling-target-min-capacity", "minCapacity")
    variant = {"instanceCount": 2, "autoscaling": {"minCapacity": least - 1, "maxCapacity": 4}}
    return {"endpoints": _endpoints(env, variant=variant)}, (
        "mlops:endpoints[0].variants[0].autoscaling.minCapacity"
    )


CONFIG_CHECKED: dict[str, Case] = {
    "aws-eks-cluster-supported-version": _version,
    "aws-eks-cluster-private-endpoint": _public_endpoint,
    "aws-eks-cluster-public-access-cidrs": _public_cidrs,
    "aws-eks-cluster-private-access-cidrs": _private_cidrs,
    "aws-cloudwatch-log-group-retention": _retention,
    "aws-governance-instance-type-allowed": _instance_type,
    "aws-eks-node-group-gpu-capacity": _gpu_capacity,
    "aws-governance-stateful-resource-protected": _protected,
    "aws-sagemaker-endpoint-safe-rollout": _rollout,
    "aws-sagemaker-endpoint-configuration-data-capture": _capture,
    "aws-sagemaker-model-network-isolation": _isolation,
    "aws-sagemaker-endpoint-configuration-min-instances": _instances,
    "aws-appautoscaling-target-min-capacity": _capacity,
}
"""Rules a stack file can break: config refuses what each forbids, with the pack's limits."""

_ALWAYS = "the component always sets it and no config key changes it"
PACK_ONLY: dict[str, str] = {
    "aws-cloudtrail-trail-present": "every stack gets the audit trail (mlops:audit is optional "
    "and only tunes it): no stack file can leave the trail out",
    **{
        name: f"CloudTrail is not configured per stack: {_ALWAYS}"
        for name in (
            "aws-cloudtrail-trail-cloudwatch-logs",
            "aws-cloudtrail-trail-kms",
            "aws-cloudtrail-trail-log-file-validation",
            "aws-cloudtrail-trail-model-data-events",
            "aws-cloudtrail-trail-multi-region",
        )
    },
    **{
        name: f"delivery pipelines take no stack config: {_ALWAYS}"
        for name in (
            "aws-codebuild-project-logs",
            "aws-codebuild-project-no-plaintext-secrets",
            "aws-codebuild-project-no-privileged-mode",
            "aws-codepipeline-pipeline-artifact-store-kms",
            "aws-codepipeline-pipeline-manual-approval",
            "aws-ecr-repository-immutable-tags",
            "aws-ecr-repository-scan-on-push",
            "aws-lambda-function-supported-runtime",
            "aws-lambda-permission-no-public-invoke",
            "aws-sfn-state-machine-logging",
            "aws-sfn-state-machine-tracing",
            "aws-sfn-state-machine-task-catch",
            "aws-dynamodb-ledger-append-only",
            "aws-events-model-registry-rule-approved-only",
            "aws-dynamodb-table-deletion-protection",
            "aws-dynamodb-table-point-in-time-recovery",
        )
    },
    **{
        name: f"encryption, access and tags are the platform's own: {_ALWAYS}"
        for name in (
            "aws-cloudwatch-log-group-kms",
            "aws-cloudwatch-alarm-actions",
            "aws-kms-key-deletion-window",
            "aws-kms-key-no-public-policy",
            "aws-kms-key-rotation",
            "aws-kms-policy-no-decrypt-all-keys",
            "aws-iam-oidc-role-subject-pinned",
            "aws-iam-policy-no-admin-wildcard",
            "aws-iam-role-trust-scoped",
            "aws-s3-bucket-audit-object-lock",
            "aws-s3-bucket-no-acl",
            "aws-s3-bucket-no-public-read",
            "aws-s3-bucket-public-access-block",
            "aws-s3-bucket-server-side-encryption",
            "aws-s3-bucket-tls-only",
            "aws-s3-bucket-versioning",
            "aws-sns-topic-kms",
            "aws-sns-topic-no-public-policy",
            "aws-governance-resource-required-tags",
            "aws-sagemaker-endpoint-configuration-kms",
        )
    },
    **{
        name: f"the network and the cluster's nodes are built one way: {_ALWAYS}"
        for name in (
            "aws-ec2-default-security-group-no-rules",
            "aws-ec2-launch-template-imdsv2",
            "aws-ec2-security-group-no-public-admin-ingress",
            "aws-ec2-subnet-no-public-ip-on-launch",
            "aws-ec2-vpc-flow-logs",
            "aws-eks-cluster-audit-logs",
            "aws-eks-cluster-secrets-encryption",
            "aws-eks-node-group-encrypted-volumes",
            "aws-eks-node-group-imdsv2",
            "aws-sagemaker-model-vpc",
        )
    },
    "aws-eks-cluster-placeholder-cidrs": "documentation ranges (203.0.113.0/24) in "
    "publicAccessCidrs are the committed dev file's placeholders; the pack flags them so a real "
    "network replaces them before deploying, while previews keep working",
    "aws-eks-cluster-access-entries": f"the cluster's access entries are the platform's: {_ALWAYS}",
    "aws-sagemaker-endpoint-configuration-shadow-single-production": "ModelEndpointArgs refuses "
    "a shadow variant beside more than one production variant in every environment",
    "aws-eks-node-group-gpu-taint": "config may set taints, but GpuClusterArgs refuses a GPU "
    "group without the GPU taint in every environment (tests/components/eks)",
    "aws-sagemaker-endpoint-rollback-alarms-exist": "the alarms an endpoint names are the ones "
    "its component creates, each with an action; extra alarms are checked by name only",
    "kubernetes-grafana-cluster-internal": f"Grafana is ClusterIP, password in a Secret: {_ALWAYS}",
    "kubernetes-helm-release-version-pinned": f"cluster software is pinned: {_ALWAYS}",
    "kubernetes-service-cluster-internal": f"model services are ClusterIP: {_ALWAYS}",
    "kubernetes-workload-no-privileged": f"model servers run unprivileged: {_ALWAYS}",
}
"""Mandatory rules a stack file cannot break, and why."""


def test_every_mandatory_rule_is_checked_by_config_or_documented_as_pack_only() -> None:
    mandatory = {name for env in ENVIRONMENTS for name in mandatory_rules(env)}
    assert not set(CONFIG_CHECKED) & set(PACK_ONLY)
    assert mandatory == set(CONFIG_CHECKED) | set(PACK_ONLY)


@pytest.mark.parametrize(
    ("environment", "rule"),
    [
        (env, rule)
        for env in ENVIRONMENTS
        for rule in CONFIG_CHECKED
        if rule in mandatory_rules(env)
    ],
)
def test_config_refuses_what_each_mandatory_rule_forbids(environment: str, rule: str) -> None:
    case = CONFIG_CHECKED[rule](environment)
    if case is None:
        return
    changes, key = case
    values = stack_values(environment)
    values.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in changes.items()})
    with pytest.raises(ConfigError) as raised:
        parse(values, region="us-east-1", stack=environment)
    assert key in [problem.field for problem in raised.value.problems]
