"""Every rule of the pack, in catalogue order: the one list `__main__` and the tools read."""

from __future__ import annotations

from pulumi_policy import Policy

from mlops_platform.policies.appautoscaling import min_capacity
from mlops_platform.policies.cloudtrail import (
    cloudwatch_logs,
    kms,
    log_file_validation,
    multi_region,
    present,
)
from mlops_platform.policies.cloudwatch import alarm_actions, log_group_kms, log_group_retention
from mlops_platform.policies.codebuild import logs, no_plaintext_secrets, no_privileged_mode
from mlops_platform.policies.codepipeline import manual_approval
from mlops_platform.policies.common.rule import ResourceRule, StackRule
from mlops_platform.policies.dynamodb import deletion_protection, point_in_time_recovery
from mlops_platform.policies.ec2 import (
    admin_ingress,
    default_security_group,
    flow_logs,
    imdsv2,
    subnet_public_ip,
)
from mlops_platform.policies.eks import (
    cluster_audit_logs,
    cluster_endpoint,
    cluster_public_cidrs,
    cluster_secrets_encryption,
    cluster_version,
    node_group_encrypted_volumes,
    node_group_gpu_capacity,
    node_group_gpu_taint,
    node_group_imdsv2,
)
from mlops_platform.policies.governance import instance_types, required_tags, stateful_protected
from mlops_platform.policies.iam import no_admin, role_trust
from mlops_platform.policies.kms import (
    deletion_window,
    no_decrypt_all_keys,
    no_public_key_policy,
    rotation,
)
from mlops_platform.policies.kubernetes import helm_version, no_privileged
from mlops_platform.policies.lambda_ import no_public_invoke, runtime
from mlops_platform.policies.s3 import encryption, no_acl, public_access_block, tls_only, versioning
from mlops_platform.policies.sagemaker import (
    endpoint_config_data_capture,
    endpoint_config_instances,
    endpoint_config_kms,
    endpoint_rollback_alarms,
    endpoint_safe_rollout,
    model_isolation,
    model_vpc,
)
from mlops_platform.policies.sfn import logging, tracing
from mlops_platform.policies.sns import topic_kms, topic_no_public_policy

PACK_NAME = "mlops-platform"
"""The pack's name, as the engine and Pulumi Cloud show it."""

Rule = ResourceRule | StackRule

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            min_capacity.POLICY,
            cloudwatch_logs.POLICY,
            kms.POLICY,
            log_file_validation.POLICY,
            multi_region.POLICY,
            present.POLICY,
            alarm_actions.POLICY,
            log_group_kms.POLICY,
            log_group_retention.POLICY,
            logs.POLICY,
            no_plaintext_secrets.POLICY,
            no_privileged_mode.POLICY,
            manual_approval.POLICY,
            deletion_protection.POLICY,
            point_in_time_recovery.POLICY,
            admin_ingress.POLICY,
            default_security_group.POLICY,
            flow_logs.POLICY,
            imdsv2.POLICY,
            subnet_public_ip.POLICY,
            cluster_audit_logs.POLICY,
            cluster_endpoint.POLICY,
            cluster_public_cidrs.POLICY,
            cluster_secrets_encryption.POLICY,
            cluster_version.POLICY,
            node_group_encrypted_volumes.POLICY,
            node_group_gpu_capacity.POLICY,
            node_group_gpu_taint.POLICY,
            node_group_imdsv2.POLICY,
            instance_types.POLICY,
            required_tags.POLICY,
            stateful_protected.POLICY,
            no_admin.POLICY,
            role_trust.POLICY,
            deletion_window.POLICY,
            no_decrypt_all_keys.POLICY,
            no_public_key_policy.POLICY,
            rotation.POLICY,
            helm_version.POLICY,
            no_privileged.POLICY,
            no_public_invoke.POLICY,
            runtime.POLICY,
            encryption.POLICY,
            no_acl.POLICY,
            public_access_block.POLICY,
            tls_only.POLICY,
            versioning.POLICY,
            endpoint_config_data_capture.POLICY,
            endpoint_config_instances.POLICY,
            endpoint_config_kms.POLICY,
            endpoint_rollback_alarms.POLICY,
            endpoint_safe_rollout.POLICY,
            model_isolation.POLICY,
            model_vpc.POLICY,
            logging.POLICY,
            tracing.POLICY,
            topic_kms.POLICY,
            topic_no_public_policy.POLICY,
        ),
        key=lambda rule: rule.name,
    )
)
"""Every rule, sorted by name."""


def policies() -> list[Policy]:
    """The rules as the SDK's `PolicyPack` takes them."""
    return list(RULES)
