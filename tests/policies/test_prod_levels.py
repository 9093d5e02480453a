"""What each environment blocks, pinned by behaviour and written down here, not read back.

`policies/config/<env>.json` decides each rule's level and parameters; the catalogue test
compares a generated document with the committed one, so regenerating it hides a loosened prod.
Here the expected levels and parameters are typed out by hand, and a fixture just past each
prod threshold must draw a finding at the expected level in each environment.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mlops_platform.policies.appautoscaling import min_capacity
from mlops_platform.policies.cloudwatch import log_group_retention
from mlops_platform.policies.codepipeline import manual_approval
from mlops_platform.policies.common.rule import ResourceRule, StackRule
from mlops_platform.policies.dynamodb import deletion_protection, point_in_time_recovery
from mlops_platform.policies.ec2 import admin_ingress, imdsv2
from mlops_platform.policies.eks import cluster_endpoint, cluster_version, node_group_gpu_capacity
from mlops_platform.policies.governance import instance_types, required_tags, stateful_protected
from mlops_platform.policies.kms import deletion_window, rotation
from mlops_platform.policies.kubernetes import no_privileged
from mlops_platform.policies.sagemaker import (
    endpoint_config_data_capture,
    endpoint_config_instances,
)
from mlops_platform.policies.sfn import logging
from tests.policies.eks._fixtures import GPU_GROUP, NODE_GROUP
from tests.policies.harness import Stack, changed, check_resource, drop_at, set_at
from tests.policies.sagemaker._fixtures import CONFIG, CONFIG_TYPE

CONFIG_DIR = Path(__file__).resolve().parents[2] / "policies" / "config"
ENVIRONMENTS = ("dev", "staging", "prod")
CONFIGS = {
    env: json.loads((CONFIG_DIR / f"{env}.json").read_text(encoding="utf-8"))
    for env in ENVIRONMENTS
}
PROD_ADVISORY: frozenset[str] = frozenset()
"""Prod blocks on every rule: each stack keeps its own trail (`infra/monitoring.py`)."""
PROD_MANDATORY = frozenset(
    {
        "aws-appautoscaling-target-min-capacity",
        "aws-cloudtrail-trail-model-data-events",
        "aws-cloudtrail-trail-present",
        "aws-codepipeline-pipeline-artifact-store-kms",
        "aws-ecr-repository-immutable-tags",
        "aws-ecr-repository-scan-on-push",
        "aws-events-model-registry-rule-approved-only",
        "aws-iam-oidc-role-subject-pinned",
        "aws-s3-bucket-audit-object-lock",
        "aws-cloudtrail-trail-cloudwatch-logs",
        "aws-cloudtrail-trail-kms",
        "aws-cloudtrail-trail-log-file-validation",
        "aws-cloudtrail-trail-multi-region",
        "aws-cloudwatch-alarm-actions",
        "aws-cloudwatch-log-group-kms",
        "aws-cloudwatch-log-group-retention",
        "aws-codebuild-project-logs",
        "aws-codebuild-project-no-plaintext-secrets",
        "aws-codebuild-project-no-privileged-mode",
        "aws-codepipeline-pipeline-manual-approval",
        "aws-dynamodb-ledger-append-only",
        "aws-dynamodb-table-deletion-protection",
        "aws-dynamodb-table-point-in-time-recovery",
        "aws-ec2-default-security-group-no-rules",
        "aws-ec2-launch-template-imdsv2",
        "aws-ec2-security-group-no-public-admin-ingress",
        "aws-ec2-subnet-no-public-ip-on-launch",
        "aws-ec2-vpc-flow-logs",
        "aws-eks-cluster-access-entries",
        "aws-eks-cluster-audit-logs",
        "aws-eks-cluster-placeholder-cidrs",
        "aws-eks-cluster-private-endpoint",
        "aws-eks-cluster-private-access-cidrs",
        "aws-eks-cluster-public-access-cidrs",
        "aws-eks-cluster-secrets-encryption",
        "aws-eks-cluster-supported-version",
        "aws-eks-node-group-encrypted-volumes",
        "aws-eks-node-group-gpu-capacity",
        "aws-eks-node-group-gpu-taint",
        "aws-eks-node-group-imdsv2",
        "aws-governance-instance-type-allowed",
        "aws-governance-resource-required-tags",
        "aws-governance-stateful-resource-protected",
        "aws-iam-policy-no-admin-wildcard",
        "aws-iam-role-trust-scoped",
        "aws-kms-key-deletion-window",
        "aws-kms-key-no-public-policy",
        "aws-kms-key-rotation",
        "aws-kms-policy-no-decrypt-all-keys",
        "aws-lambda-function-supported-runtime",
        "aws-lambda-permission-no-public-invoke",
        "aws-s3-bucket-no-acl",
        "aws-s3-bucket-no-public-read",
        "aws-s3-bucket-public-access-block",
        "aws-s3-bucket-server-side-encryption",
        "aws-s3-bucket-tls-only",
        "aws-s3-bucket-versioning",
        "aws-sagemaker-endpoint-configuration-data-capture",
        "aws-sagemaker-endpoint-configuration-kms",
        "aws-sagemaker-endpoint-configuration-min-instances",
        "aws-sagemaker-endpoint-configuration-shadow-single-production",
        "aws-sagemaker-endpoint-rollback-alarms-exist",
        "aws-sagemaker-endpoint-safe-rollout",
        "aws-sagemaker-model-network-isolation",
        "aws-sagemaker-model-vpc",
        "aws-sfn-state-machine-logging",
        "aws-sfn-state-machine-task-catch",
        "aws-sfn-state-machine-tracing",
        "aws-sns-topic-kms",
        "aws-sns-topic-no-public-policy",
        "kubernetes-grafana-cluster-internal",
        "kubernetes-helm-release-version-pinned",
        "kubernetes-service-cluster-internal",
        "kubernetes-workload-no-privileged",
    }
)
PROD_PARAMETERS: dict[str, dict[str, Any]] = {
    "aws-appautoscaling-target-min-capacity": {"minCapacity": 2},
    "aws-cloudwatch-log-group-retention": {"minimumDays": 365},
    # The image build runs docker; no other project may run privileged.
    "aws-codebuild-project-no-privileged-mode": {
        "allowedProjects": ["prod-fraud-detector-cd-build", "prod-fraud-shadow-cd-build"]
    },
    "aws-ec2-launch-template-imdsv2": {"maxHopLimit": 2},
    "aws-ec2-security-group-no-public-admin-ingress": {"adminPorts": [22, 3389]},
    "aws-ec2-vpc-flow-logs": {"allowedTrafficTypes": ["ALL"]},
    "aws-eks-cluster-private-endpoint": {"allowPublicEndpoint": False},
    "aws-eks-cluster-supported-version": {"supportedVersions": ["1.32", "1.33", "1.34"]},
    "aws-eks-node-group-gpu-capacity": {"maxGpuNodes": 16},
    "aws-governance-instance-type-allowed": {
        "allowedInstanceTypes": [
            "ml.m5.*",
            "ml.c5.*",
            "ml.g5.*",
            "ml.g6.*",
            "ml.p4d.24xlarge",
            "m5.*",
            "m6i.*",
            "c5.*",
            "g5.*",
            "g6.*",
            "p4d.24xlarge",
        ]
    },
    "aws-governance-resource-required-tags": {
        "requiredTags": ["Environment", "Owner", "CostCentre", "ManagedBy", "Project"]
    },
    "aws-kms-key-deletion-window": {"minimumDays": 30},
    "aws-kms-key-rotation": {"maxRotationPeriodDays": 365},
    "aws-s3-bucket-versioning": {"requireForAll": True},
    "aws-sagemaker-endpoint-configuration-min-instances": {"minInstances": 2},
    "aws-cloudtrail-trail-present": {"coveredProjects": ["mlops-serving"]},
    "aws-s3-bucket-audit-object-lock": {
        "requiredModes": ["COMPLIANCE"],
        "minimumRetentionDays": 365,
    },
    "aws-sfn-state-machine-logging": {"allowedLevels": ["ALL"]},
    "aws-sfn-state-machine-task-catch": {"requireCatchAll": True},
    "aws-dynamodb-ledger-append-only": {"ledgerPurposes": ["ledger"]},
    "kubernetes-workload-no-privileged": {"allowedNamespaces": ["kube-system"]},
}


def test_prod_blocks_on_every_rule() -> None:
    prod = CONFIGS["prod"]
    levels = {name: entry["enforcementLevel"] for name, entry in prod.items()}
    assert {name for name, level in levels.items() if level == "mandatory"} == PROD_MANDATORY
    assert {name for name, level in levels.items() if level != "mandatory"} == PROD_ADVISORY
    assert levels["aws-cloudtrail-trail-present"] == "mandatory"


def test_prod_parameters_are_the_written_down_ones() -> None:
    found = {
        name: {key: value for key, value in entry.items() if key != "enforcementLevel"}
        for name, entry in CONFIGS["prod"].items()
    }
    assert {name: params for name, params in found.items() if params} == PROD_PARAMETERS


Rule = ResourceRule | StackRule
Case = tuple[Rule, Callable[[Rule, dict[str, Any]], list[Any]], dict[str, str]]


def on(type_: str, props: dict[str, Any]) -> Callable[[Rule, dict[str, Any]], list[Any]]:
    """Check one resource of `type_` with the environment's settings of the rule."""

    def run(rule: Rule, config: dict[str, Any]) -> list[Any]:
        assert isinstance(rule, ResourceRule)
        return check_resource(rule, type_, props, config=config)

    return run


def gpu_groups(max_size: int) -> Callable[[Rule, dict[str, Any]], list[Any]]:
    def run(rule: Rule, config: dict[str, Any]) -> list[Any]:
        assert isinstance(rule, StackRule)
        s = Stack()
        s.add(NODE_GROUP, "gpu", {**GPU_GROUP, "scalingConfig": {"maxSize": max_size}})
        return s.check(rule, config)

    return run


def levels(dev: str, staging: str, prod: str) -> dict[str, str]:
    return {"dev": dev, "staging": staging, "prod": prod}


M, A, D, PASS = "mandatory", "advisory", "disabled", "pass"
TARGET = {"serviceNamespace": "sagemaker", "resourceId": "endpoint/e/variant/v", "minCapacity": 1}
TEMPLATE = {"metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 3}}
RDP = {"ipProtocol": "tcp", "fromPort": 3389, "toPort": 3389, "cidrIpv4": "0.0.0.0/0"}
PUBLIC_API = {"vpcConfig": {"endpointPublicAccess": True, "endpointPrivateAccess": True}}
ONE_INSTANCE = changed(CONFIG, set_at("productionVariants.0.initialInstanceCount", 1))
BIG_GPU = {"productionVariants": [{"instanceType": "ml.g5.12xlarge"}]}
TAGS = {"Environment": "prod", "Owner": "ml", "ManagedBy": "pulumi", "Project": "mlops"}
ERRORS_ONLY = {"loggingConfiguration": {"level": "ERROR", "logDestination": "arn:aws:logs:x"}}
PRIVILEGED = {
    "metadata": {"namespace": "gpu-operator"},
    "spec": {"template": {"spec": {"containers": [{"securityContext": {"privileged": True}}]}}},
}
DEPLOY_UNAPPROVED = {
    "stages": [
        {"name": "Source", "actions": [{"name": "Fetch", "category": "Source"}]},
        {"name": "Prod", "actions": [{"name": "Deploy", "category": "Deploy", "runOrder": 1}]},
    ]
}

CASES: dict[str, Case] = {
    "a variant that may shrink to one instance": (
        min_capacity.POLICY,
        on(min_capacity.TARGET, TARGET),
        levels(PASS, PASS, M),
    ),
    "logs kept 364 days": (
        log_group_retention.POLICY,
        on("aws:cloudwatch/logGroup:LogGroup", {"retentionInDays": 364}),
        levels(PASS, PASS, M),
    ),
    "logs kept 89 days": (
        log_group_retention.POLICY,
        on("aws:cloudwatch/logGroup:LogGroup", {"retentionInDays": 89}),
        levels(PASS, M, M),
    ),
    "a metadata hop limit of 3": (
        imdsv2.POLICY,
        on("aws:ec2/launchTemplate:LaunchTemplate", TEMPLATE),
        levels(M, M, M),
    ),
    "RDP open to the internet": (
        admin_ingress.POLICY,
        on("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", RDP),
        levels(M, M, M),
    ),
    "a public EKS API": (
        cluster_endpoint.POLICY,
        on("aws:eks/cluster:Cluster", PUBLIC_API),
        levels(PASS, PASS, M),
    ),
    "Kubernetes 1.31": (
        cluster_version.POLICY,
        on("aws:eks/cluster:Cluster", {"version": "1.31"}),
        levels(A, M, M),
    ),
    "17 GPU nodes": (node_group_gpu_capacity.POLICY, gpu_groups(17), levels(M, M, M)),
    "5 GPU nodes": (node_group_gpu_capacity.POLICY, gpu_groups(5), levels(M, M, PASS)),
    "a KMS key deleted after 29 days": (
        deletion_window.POLICY,
        on("aws:kms/key:Key", {"deletionWindowInDays": 29}),
        levels(PASS, M, M),
    ),
    "a KMS key rotated every 366 days": (
        rotation.POLICY,
        on("aws:kms/key:Key", {"enableKeyRotation": True, "rotationPeriodInDays": 366}),
        levels(M, M, M),
    ),
    "an endpoint on one instance": (
        endpoint_config_instances.POLICY,
        on(CONFIG_TYPE, ONE_INSTANCE),
        levels(PASS, PASS, M),
    ),
    "an endpoint on ml.g5.12xlarge": (
        instance_types.POLICY,
        on(CONFIG_TYPE, BIG_GPU),
        levels(M, M, PASS),
    ),
    "an endpoint without data capture": (
        endpoint_config_data_capture.POLICY,
        on(CONFIG_TYPE, changed(CONFIG, drop_at("dataCaptureConfig"))),
        levels(D, A, M),
    ),
    "an endpoint on ml.p5.48xlarge": (
        instance_types.POLICY,
        on(CONFIG_TYPE, {"productionVariants": [{"instanceType": "ml.p5.48xlarge"}]}),
        levels(M, M, M),
    ),
    "a resource without a CostCentre tag": (
        required_tags.POLICY,
        on("aws:kms/key:Key", {"tags": TAGS}),
        levels(M, M, M),
    ),
    "a state machine logging errors only": (
        logging.POLICY,
        on(logging.STATE_MACHINE, ERRORS_ONLY),
        levels(PASS, M, M),
    ),
    "a privileged pod outside kube-system": (
        no_privileged.POLICY,
        on("kubernetes:apps/v1:Deployment", PRIVILEGED),
        levels(M, M, M),
    ),
    "a deploy without a manual approval": (
        manual_approval.POLICY,
        on(manual_approval.PIPELINE, DEPLOY_UNAPPROVED),
        levels(D, D, M),  # staging deploys without a person by design; prod never
    ),
    "a table without deletion protection": (
        deletion_protection.POLICY,
        on("aws:dynamodb/table:Table", {"deletionProtectionEnabled": False}),
        levels(A, A, M),
    ),
    "a table without point-in-time recovery": (
        point_in_time_recovery.POLICY,
        on("aws:dynamodb/table:Table", {}),
        levels(A, A, M),
    ),
    "an unprotected bucket": (
        stateful_protected.POLICY,
        on("aws:s3/bucketV2:BucketV2", {}),
        levels(D, M, M),
    ),
}


@pytest.mark.parametrize("environment", ENVIRONMENTS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_violation_draws_the_expected_level(environment: str, case: str) -> None:
    rule, run, expected = CASES[case]
    entry = CONFIGS[environment][rule.name]
    settings = {key: value for key, value in entry.items() if key != "enforcementLevel"}
    found = run(rule, settings)
    assert (entry["enforcementLevel"] if found else PASS) == expected[environment]


def test_every_prod_parameter_has_a_case_just_past_it() -> None:
    covered = {rule.name for rule, _, expected in CASES.values() if expected["prod"] == M}
    assert set(PROD_PARAMETERS) - covered == {
        # Checked by their own modules' tests with prod's values.
        "aws-cloudtrail-trail-present",  # a stack rule, tested in its own module
        "aws-codebuild-project-no-privileged-mode",
        "aws-dynamodb-ledger-append-only",  # a stack rule, tested in its own module
        "aws-ec2-vpc-flow-logs",
        "aws-s3-bucket-audit-object-lock",  # a stack rule, tested in its own module
        "aws-sfn-state-machine-task-catch",
        "aws-s3-bucket-versioning",
    }
