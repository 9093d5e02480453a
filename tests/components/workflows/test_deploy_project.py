"""The deploy project with EKS targets: in the VPC, admitted by the cluster API, cluster admin."""

from __future__ import annotations

import json

from mlops_platform.testing import Registry
from tests.conftest import policy, statement

from .test_promotion_workflows import CLUSTER, archive_dir, eks_registry, registry

# The component's module fixtures, shared with its tests.
__all__ = ["archive_dir", "eks_registry", "registry"]

PROJECT = "aws:codebuild/project:Project"


def test_the_project_lists_the_service_targets_and_the_state_backend(
    eks_registry: Registry,
) -> None:
    project = eks_registry.one(PROJECT)
    assert project.inputs["environment"]["environmentVariables"] == [
        {"name": "STACK", "type": "PLAINTEXT", "value": "prod"},
        {"name": "SERVICE_TARGETS", "type": "PLAINTEXT", "value": "fraud-scorer"},
        {"name": "PULUMI_BACKEND_URL", "type": "PLAINTEXT", "value": "s3://acme-state"},
    ]


def test_the_project_runs_in_the_private_subnets_from_a_group_the_api_admits(
    eks_registry: Registry,
) -> None:
    project = eks_registry.one(PROJECT)
    group = eks_registry.one("aws:ec2/securityGroup:SecurityGroup", "prod-workflows-deploy-sg")
    assert project.inputs["vpcConfig"] == {
        "vpcId": "vpc-1", "subnets": ["subnet-a", "subnet-b"],
        "securityGroupIds": ["sg-1", group.id],
    }  # fmt: skip
    ingress = eks_registry.one(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "prod-workflows-api-https-deploy",
    )
    assert ingress.inputs["securityGroupId"] == CLUSTER.api_security_group_id
    assert ingress.inputs["referencedSecurityGroupId"] == group.id
    assert (ingress.inputs["fromPort"], ingress.inputs["toPort"]) == (443, 443)
    egress = eks_registry.one(
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "prod-workflows-deploy-https-out"
    )
    assert (egress.inputs["securityGroupId"], egress.inputs["fromPort"]) == (group.id, 443)


def test_the_deploy_role_has_a_cluster_admin_access_entry(eks_registry: Registry) -> None:
    role = eks_registry.one("aws:iam/role:Role", "prod-workflows-deploy-role")
    entry = eks_registry.one("aws:eks/accessEntry:AccessEntry", "prod-workflows-deploy-access")
    assert entry.inputs["clusterName"] == CLUSTER.cluster_name
    assert entry.inputs["principalArn"] == role.state["arn"]
    association = eks_registry.one(
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        "prod-workflows-deploy-access-policy",
    )
    assert association.inputs["policyArn"] == (
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    )
    assert association.inputs["accessScope"] == {"type": "cluster"}


def test_the_deploy_role_may_apply_the_serving_layer_and_no_more(eks_registry: Registry) -> None:
    document = policy(
        eks_registry.one("aws:iam/rolePolicy:RolePolicy", "prod-workflows-deploy-policy")
    )
    assert statement(document, "ReachCluster")["Resource"] == CLUSTER.cluster_arn
    assert statement(document, "ManageServingRoles")["Resource"] == (
        "arn:aws:iam::123456789012:role/prod-serving-*"
    )
    assert statement(document, "WriteLayersState")["Resource"] == [
        "arn:aws:s3:::acme-state/.pulumi/*/mlops-platform/*",
        "arn:aws:s3:::acme-state/.pulumi/*/mlops-serving/*",
    ]
    assert statement(document, "ReadState")["Resource"] == "arn:aws:s3:::acme-state/*"
    sids = [s["Sid"] for s in document["Statement"]]
    assert "UseSecretsProviderKey" not in sids, "no key was configured"
    assert json.dumps(document).count("iam:CreateRole") == 1


def test_without_eks_targets_the_project_has_no_cluster_access(registry: Registry) -> None:
    assert registry.all("aws:eks/accessEntry:AccessEntry") == []
    assert registry.all("aws:ec2/securityGroup:SecurityGroup") == []
    document = policy(registry.one("aws:iam/rolePolicy:RolePolicy", "prod-workflows-deploy-policy"))
    assert {s["Sid"] for s in document["Statement"]} == {
        "BuildLogs", "PulumiToken", "VpcLookups", "VpcInterfaces", "AssumeDeployRole"
    }  # fmt: skip


def test_the_project_may_attach_interfaces_only_for_codebuild_in_its_own_subnets(
    registry: Registry,
) -> None:
    document = policy(registry.one("aws:iam/rolePolicy:RolePolicy", "prod-workflows-deploy-policy"))
    (attach,) = [s for s in document["Statement"] if s["Sid"] == "VpcInterfaces"]
    assert attach["Action"] == "ec2:CreateNetworkInterfacePermission"
    assert attach["Condition"] == {
        "StringEquals": {"ec2:AuthorizedService": "codebuild.amazonaws.com"},
        "ArnEquals": {
            "ec2:Subnet": [
                f"arn:aws:ec2:us-east-1:123456789012:subnet/{subnet}"
                for subnet in ("subnet-a", "subnet-b")
            ]
        },
    }
