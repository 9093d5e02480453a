"""Physical names of the EKS components: every auto-named one within AWS's limits."""

from __future__ import annotations

import pulumi_kubernetes as kubernetes
import pytest

from mlops_platform.components import ArgsError, GpuCluster, GpuClusterArgs
from mlops_platform.components.eks import (
    ClusterAccess,
    ClusterSoftware,
    ModelService,
    ModelServiceArgs,
)
from mlops_platform.components.eks.cluster.software import CHARTS
from mlops_platform.components.eks.names import HELM_RELEASE_LIMIT, check_cluster_names
from tests.components.test_cluster_software import CLUSTER
from tests.components.test_gpu_cluster import A10G, DEPLOYER, PLACEMENT, _group
from tests.conftest import RunProgram

SERVICE = {
    "service_name": "fraud-scorer",
    "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-scorer:1.4.2",
    "model_uri": "s3://models/fraud-scorer/1.4.2/",
    "accelerator": "nvidia-a10g",
}


def messages(error: pytest.ExceptionInfo[ArgsError]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


@pytest.mark.parametrize(
    ("name", "groups", "expected"),
    [
        ("prod-cluster", [A10G], []),
        ("staging-cluster", [_group(name="a" * 31)], []),
        ("staging-gpu-serving-cluster", [_group(name="a" * 31)],
         ["gpu_node_groups[0].name = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa': gives the node group name "
          "'staging-gpu-serving-cluster-gpu-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-abcdefg' (71 "
          "characters, the provider's 7-character suffix included); the limit is 63"]),
        ("a" * 45, [A10G],
         [f"name = '{'a' * 45}': gives the IAM role name '{'a' * 45}-cluster-role-abcdefg' (66 "
          "characters, the provider's 7-character suffix included); the limit is 64",
          f"name = '{'a' * 45}': gives the IAM role name '{'a' * 45}-vpc-cni-role-abcdefg' (66 "
          "characters, the provider's 7-character suffix included); the limit is 64",
          f"name = '{'a' * 45}': gives the IAM role name '{'a' * 45}-deployer-role-abcdefg' (67 "
          "characters, the provider's 7-character suffix included); the limit is 64",
          "system_node_group.name = 'system': gives the node group name "
          f"'{'a' * 45}-system-nodes-abcdefg' (66 characters, the provider's 7-character "
          "suffix included); the limit is 63"]),
    ],
)  # fmt: skip
def test_cluster_names_within_limits(name: str, groups: list[object], expected: list[str]) -> None:
    args = GpuClusterArgs(gpu_node_groups=groups, deployer=DEPLOYER)
    group_names = [group.name for group in args.gpu_node_groups]
    found = check_cluster_names(name, group_names, args.system_node_group.name)
    assert [str(problem) for problem in found] == expected
    if expected:  # and the component refuses to build, before any child exists
        with pytest.raises(ArgsError) as raised:
            GpuCluster(name, args, PLACEMENT)
        assert messages(raised) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("prod-serving-fraud-scorer", []),
        ("staging-serving-" + "s" * 40,
         [f"name = 'staging-serving-{'s' * 40}': gives the IAM role name "
          f"'staging-serving-{'s' * 40}-role-abcdefg' (69 characters, the provider's "
          "7-character suffix included); the limit is 64"]),
    ],
)  # fmt: skip
def test_service_role_names_within_limits(run: RunProgram, name: str, expected: list[str]) -> None:
    def program() -> None:
        provider = kubernetes.Provider("k8s", kubeconfig="{}")
        access = ClusterAccess(
            oidc_provider_arn="arn", oidc_issuer_url="https://x", provider=provider
        )
        ModelService(name, ModelServiceArgs(**SERVICE), access)

    if not expected:
        run(program)
        return
    with pytest.raises(ArgsError) as raised:
        ModelService(name, ModelServiceArgs(**SERVICE), None)  # type: ignore[arg-type]
    assert messages(raised) == expected


def test_software_role_name_within_its_limit() -> None:
    with pytest.raises(ArgsError) as raised:
        ClusterSoftware("s" * 41, CLUSTER, {})
    assert messages(raised) == [
        f"name = '{'s' * 41}': gives the IAM role name '{'s' * 41}-autoscaler-role-abcdefg' (65 "
        "characters, the provider's 7-character suffix included); the limit is 64"
    ]


def test_every_helm_release_name_fits_helms_limit() -> None:
    assert all(len(chart.release) <= HELM_RELEASE_LIMIT for chart in CHARTS.values())
