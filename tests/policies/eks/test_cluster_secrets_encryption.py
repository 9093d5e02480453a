from __future__ import annotations

from mlops_platform.policies.eks.cluster_secrets_encryption import POLICY
from tests.policies.eks._fixtures import CLUSTER, CLUSTER_TYPE
from tests.policies.harness import changed, check_resource, drop_at, set_at


def test_encrypted_secrets_pass() -> None:
    assert check_resource(POLICY, CLUSTER_TYPE, CLUSTER) == []


def test_no_encryption_config() -> None:
    props = changed(CLUSTER, drop_at("encryptionConfig"))
    assert check_resource(POLICY, CLUSTER_TYPE, props) == [
        "Kubernetes secrets are not envelope-encrypted; add encryption_config with resources "
        "['secrets'] and a KMS key"
    ]


def test_no_key() -> None:
    props = changed(CLUSTER, set_at("encryptionConfig.provider", {}))
    assert check_resource(POLICY, CLUSTER_TYPE, props) == [
        "encryption_config names no KMS key; set provider.key_arn"
    ]
