"""Rules during a first preview: ARNs and ids of resources not created yet are unknown.

A rule reports every violation it can still see; where it stepped over an unknown value it
raises afterwards, and the engine adds its advisory "can't run during preview" to the findings
(`preview` below does what the SDK's analyzer does). An unknown ARN of a key, a log group or a
role is one that will exist: it is never a violation by itself.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

import pytest
from pulumi_policy import ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from mlops_platform.policies.cloudtrail import kms as trail_kms
from mlops_platform.policies.cloudwatch import log_group_kms
from mlops_platform.policies.ec2 import admin_ingress
from mlops_platform.policies.eks import cluster_public_cidrs, cluster_secrets_encryption
from mlops_platform.policies.iam import no_admin
from mlops_platform.policies.kms import no_decrypt_all_keys
from mlops_platform.policies.kubernetes import no_privileged, service_internal
from mlops_platform.policies.s3 import no_public_read, tls_only
from mlops_platform.policies.sagemaker import (
    endpoint_config_kms,
    endpoint_rollback_alarms,
    model_vpc,
)
from mlops_platform.policies.sfn import logging
from mlops_platform.policies.sns import topic_kms
from tests.policies.eks._fixtures import CLUSTER, CLUSTER_TYPE
from tests.policies.harness import UNKNOWN, Stack, changed, drop_at, options, set_at, urn_of
from tests.policies.sagemaker._fixtures import (
    ALARM,
    ALARM_TYPE,
    CONFIG,
    CONFIG_TYPE,
    ENDPOINT,
    ENDPOINT_TYPE,
    MODEL,
    MODEL_TYPE,
)

ADVISORY = "advisory"
"""Stands for the engine's "can't run during preview" diagnostic in expected findings."""


def preview(
    policy: ResourceValidationPolicy,
    type_: str,
    props: Mapping[str, Any],
    config: Mapping[str, Any] | None = None,
) -> list[str]:
    """What the engine shows for one resource during preview: violations, then any advisory."""
    args = ResourceValidationArgs(
        type_,
        unknown_checking_proxy(copy.deepcopy(dict(props))),
        urn_of(type_, "subject"),
        "subject",
        options(),
        None,
        config,
    )
    found: list[str] = []
    try:
        policy.validate(args, lambda message, urn=None: found.append(message))
    except UnknownValueError:
        found.append(ADVISORY)
    return found


def preview_stack(stack: Stack, policy: Any) -> list[tuple[str, str | None]]:
    """What the engine shows for a stack rule during preview."""
    found: list[tuple[str, str | None]] = []
    try:
        policy.validate(
            StackValidationArgs(stack.resources, None),
            lambda message, urn=None: found.append((message, urn)),
        )
    except UnknownValueError:
        found.append((ADVISORY, None))
    return found


NO_VOLUME_KEY = (
    "the ML storage volumes are not encrypted with a customer managed key; set kms_key_arn"
)
NO_CAPTURE_KEY = (
    "captured requests are written without a KMS key; set data_capture_config.kms_key_id"
)


def unknown(*paths: str) -> Any:
    """A mutation setting each dotted path to the engine's unknown marker."""

    def mutate(props: dict[str, Any]) -> None:
        for path in paths:
            set_at(path, UNKNOWN)(props)

    return mutate


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        # The key does not exist yet: the volumes will be encrypted, the capture is not.
        (
            changed(changed(CONFIG, unknown("kmsKeyArn")), drop_at("dataCaptureConfig.kmsKeyId")),
            [NO_CAPTURE_KEY],
        ),
        (changed(CONFIG, unknown("kmsKeyArn", "dataCaptureConfig.kmsKeyId")), []),
        # The model and the capture bucket do not exist yet: a missing volume key is still seen.
        (
            changed(
                changed(CONFIG, drop_at("kmsKeyArn")),
                unknown("productionVariants.0.modelName", "dataCaptureConfig.destinationS3Uri"),
            ),
            [NO_VOLUME_KEY],
        ),
    ],
)
def test_endpoint_configuration_kms(props: dict[str, Any], expected: list[str]) -> None:
    assert preview(endpoint_config_kms.POLICY, CONFIG_TYPE, props) == expected


@pytest.mark.parametrize(
    ("policy", "type_", "props"),
    [
        (log_group_kms.POLICY, "aws:cloudwatch/logGroup:LogGroup", {"kmsKeyId": UNKNOWN}),
        (topic_kms.POLICY, "aws:sns/topic:Topic", {"kmsMasterKeyId": UNKNOWN}),
        (
            trail_kms.POLICY,
            "aws:cloudtrail/trail:Trail",
            {"kmsKeyId": UNKNOWN, "s3BucketName": UNKNOWN},
        ),
        (
            cluster_secrets_encryption.POLICY,
            CLUSTER_TYPE,
            changed(CLUSTER, unknown("encryptionConfig.provider.keyArn", "roleArn")),
        ),
        (
            model_vpc.POLICY,
            MODEL_TYPE,
            changed(
                MODEL,
                lambda p: p.update(vpcConfig={"subnets": [UNKNOWN], "securityGroupIds": UNKNOWN}),
            ),
        ),
        (
            logging.POLICY,
            logging.STATE_MACHINE,
            {
                "roleArn": UNKNOWN,
                "loggingConfiguration": {
                    "level": "ALL",
                    "includeExecutionData": True,
                    "logDestination": UNKNOWN,
                },
            },
        ),
    ],
)
def test_an_arn_not_known_yet_is_one_that_will_exist(
    policy: ResourceValidationPolicy, type_: str, props: dict[str, Any]
) -> None:
    assert preview(policy, type_, props) == []


def test_a_world_open_cidr_is_seen_beside_one_not_known_yet() -> None:
    props = changed(
        CLUSTER,
        lambda p: p["vpcConfig"].update(
            endpointPublicAccess=True, publicAccessCidrs=[UNKNOWN, "0.0.0.0/0"]
        ),
    )
    assert preview(cluster_public_cidrs.POLICY, CLUSTER_TYPE, props) == [
        "the public API endpoint is open to 0.0.0.0/0; list the networks that may reach it",
        ADVISORY,
    ]


def test_cidrs_not_known_yet_are_not_an_empty_list() -> None:
    props = changed(
        CLUSTER,
        lambda p: p["vpcConfig"].update(endpointPublicAccess=True, publicAccessCidrs=[UNKNOWN]),
    )
    assert preview(cluster_public_cidrs.POLICY, CLUSTER_TYPE, props) == [ADVISORY]


SSH_FROM_ANYWHERE = {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]}


def test_an_ingress_rule_open_to_the_world_beside_one_from_the_new_vpc() -> None:
    vpc = {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": [UNKNOWN]}
    props = {"vpcId": UNKNOWN, "ingress": [vpc, SSH_FROM_ANYWHERE]}
    assert preview(admin_ingress.POLICY, "aws:ec2/securityGroup:SecurityGroup", props) == [
        "ingress rule 2 has port 22 open to 0.0.0.0/0; restrict it to known networks",
        ADVISORY,
    ]


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        (
            {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": UNKNOWN},
            [ADVISORY],
        ),
        (
            {
                "securityGroupId": UNKNOWN,
                "ipProtocol": "tcp",
                "fromPort": 22,
                "toPort": 22,
                "cidrIpv4": "0.0.0.0/0",
            },
            ["the rule has port 22 open to 0.0.0.0/0; restrict it to known networks"],
        ),
    ],
)
def test_a_standalone_ingress_rule(props: dict[str, Any], expected: list[str]) -> None:
    type_ = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
    assert preview(admin_ingress.POLICY, type_, props) == expected


def privileged(namespace: str, name: str = "serve") -> dict[str, Any]:
    container = {"name": name, "image": "img", "securityContext": {"privileged": True}}
    return {
        "metadata": {"namespace": namespace},
        "spec": {"template": {"spec": {"containers": [container]}}},
    }


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        (privileged(UNKNOWN), ["container 'serve' runs privileged; remove privileged", ADVISORY]),
        (privileged("ml", UNKNOWN), ["container 1 runs privileged; remove privileged"]),
    ],
)
def test_a_privileged_container_in_a_namespace_not_created_yet(
    props: dict[str, Any], expected: list[str]
) -> None:
    assert preview(no_privileged.POLICY, "kubernetes:apps/v1:Deployment", props) == expected


def test_a_load_balancer_in_a_namespace_not_created_yet() -> None:
    props = {"metadata": {"namespace": UNKNOWN}, "spec": {"type": "LoadBalancer"}}
    assert preview(service_internal.POLICY, service_internal.SERVICE, props) == [
        "the Service is of type LoadBalancer, reachable from outside the cluster, in its "
        'namespace; set spec.type to "ClusterIP"'
    ]


ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
EVERYTHING = json.dumps({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
DECRYPT_ALL = json.dumps(
    {"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}
)


def test_admin_access_is_seen_beside_a_policy_not_created_yet() -> None:
    props = {"assumeRolePolicy": UNKNOWN, "managedPolicyArns": [UNKNOWN, ADMIN]}
    assert preview(no_admin.POLICY, "aws:iam/role:Role", props) == [
        "attaches AdministratorAccess; attach a policy with only the actions needed",
        ADVISORY,
    ]


@pytest.mark.parametrize(
    ("policy", "document", "message"),
    [
        (
            no_admin.POLICY,
            EVERYTHING,
            'inline policy \'admin\' statement 1 allows "*" on "*"; grant only the actions needed',
        ),
        (
            no_decrypt_all_keys.POLICY,
            DECRYPT_ALL,
            "inline policy 'admin' statement 1 allows kms:Decrypt on all keys; list the key ARNs "
            "in Resource",
        ),
    ],
)
def test_an_inline_policy_is_seen_beside_one_naming_a_new_resource(
    policy: ResourceValidationPolicy, document: str, message: str
) -> None:
    props = {
        "inlinePolicies": [
            {"name": "read-model", "policy": UNKNOWN},
            {"name": "admin", "policy": document},
        ]
    }
    assert preview(policy, "aws:iam/role:Role", props) == [message, ADVISORY]


def test_a_bucket_without_a_policy_is_seen_beside_a_policy_naming_a_new_bucket() -> None:
    s = Stack()
    s.add("aws:s3/bucketV2:BucketV2", "models")
    s.add(
        "aws:s3/bucketPolicy:BucketPolicy",
        "models-policy",
        {"bucket": UNKNOWN, "policy": UNKNOWN},
        deps={"bucket": "models", "policy": "models"},
    )
    logs = s.add("aws:s3/bucketV2:BucketV2", "logs")
    assert preview_stack(s, tls_only.POLICY) == [
        (
            "BucketV2 'logs' has no bucket policy; add one that denies s3:* when "
            "aws:SecureTransport is false",
            logs.urn,
        ),
        (ADVISORY, None),
    ]


def test_a_public_read_policy_not_known_yet_cannot_be_judged() -> None:
    props = {"bucket": UNKNOWN, "policy": UNKNOWN}
    assert preview(no_public_read.POLICY, "aws:s3/bucketPolicy:BucketPolicy", props) == [ADVISORY]


def test_rollback_alarms_not_named_yet_are_checked_through_the_dependency() -> None:
    s = Stack()
    s.add(ALARM_TYPE, "errors", {**ALARM, "name": UNKNOWN})
    endpoint = changed(
        ENDPOINT,
        unknown(
            "endpointConfigName", "deploymentConfig.autoRollbackConfiguration.alarms.0.alarmName"
        ),
    )
    s.add(ENDPOINT_TYPE, "serve", endpoint, deps={"deploymentConfig": "errors"})
    assert preview_stack(s, endpoint_rollback_alarms.POLICY) == [(ADVISORY, None)]


def test_a_rollback_alarm_without_actions_is_seen_when_its_name_is_not_known_yet() -> None:
    s = Stack()
    silent = s.add(ALARM_TYPE, "errors", changed(ALARM, drop_at("alarmActions")))
    endpoint = changed(ENDPOINT, unknown("deploymentConfig.autoRollbackConfiguration.alarms.0"))
    s.add(ENDPOINT_TYPE, "serve", endpoint, deps={"deploymentConfig": "errors"})
    assert preview_stack(s, endpoint_rollback_alarms.POLICY) == [
        (
            "MetricAlarm 'errors' is a rollback alarm of Endpoint 'serve' but has no alarm "
            "action; add an SNS topic to alarm_actions",
            silent.urn,
        ),
        (ADVISORY, None),
    ]
