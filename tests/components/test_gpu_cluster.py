"""The GpuCluster component: its exact children, security inputs and bad-input messages."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from mlops_platform.components import (
    ArgsError,
    GpuCluster,
    GpuClusterArgs,
    NodeGroupSpec,
    Placement,
    Taint,
)
from mlops_platform.components.eks import DeployerSpec
from mlops_platform.components.eks.cluster.args import placeholder_cidrs
from mlops_platform.testing import Registry
from tests.conftest import RunProgram, policy, statement

A10G = NodeGroupSpec(name="a10g", instance_types=["g5.xlarge"], min_size=0, max_size=2)
DEPLOYER = DeployerSpec(backend_url="s3://state-bucket", serving_prefix="dev-serving")
PLACEMENT = Placement(
    vpc_id="vpc-1234", subnet_ids=["subnet-a", "subnet-b"], security_group_ids=["sg-workloads"]
)


def cluster(run: RunProgram, **overrides: Any) -> Registry:
    args = {"gpu_node_groups": [A10G], "tags": {"Owner": "ml"}, "deployer": DEPLOYER, **overrides}
    return run(lambda: GpuCluster("gc", GpuClusterArgs(**args), PLACEMENT))


def test_one_gpu_group_makes_exactly_these_children(run: RunProgram) -> None:
    registry = cluster(run)
    component = registry.one("mlops:eks:GpuCluster", "gc")
    children = registry.children_of(component)
    assert len(children) == len(registry) - 2  # everything but the stack and the component
    assert Counter(child.type for child in children) == {
        "random:index/randomId:RandomId": 1,
        "aws:kms/key:Key": 2,
        "aws:cloudwatch/logGroup:LogGroup": 2,
        "aws:iam/role:Role": 4,
        "aws:iam/rolePolicy:RolePolicy": 2,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 4,
        "aws:ec2/securityGroup:SecurityGroup": 2,
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 1,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
        "aws:eks/cluster:Cluster": 1,
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider": 1,
        "aws:eks/addon:Addon": 3,
        "aws:ec2/launchTemplate:LaunchTemplate": 2,
        "aws:eks/nodeGroup:NodeGroup": 2,
        "aws:codebuild/project:Project": 1,
        "aws:eks/accessEntry:AccessEntry": 1,
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": 1,
    }
    assert {child.name for child in children} == {
        "gc-name-suffix", "gc-key", "gc-control-plane-logs", "gc-cluster-role",
        "gc-cluster-AmazonEKSClusterPolicy", "gc-cluster-encrypt-secrets", "gc-api-sg",
        "gc-cluster", "gc-oidc", "gc-vpc-cni-role", "gc-vpc-cni-AmazonEKS_CNI_Policy",
        "gc-vpc-cni", "gc-kube-proxy", "gc-coredns", "gc-node-role",
        "gc-node-AmazonEKSWorkerNodePolicy", "gc-node-AmazonEC2ContainerRegistryReadOnly",
        "gc-system-nodes-lt", "gc-system-nodes", "gc-gpu-a10g-lt", "gc-gpu-a10g",
        "gc-deployer-key", "gc-deployer-logs", "gc-deployer-role", "gc-deployer-permissions",
        "gc-deployer-sg", "gc-deployer-https-out", "gc-api-https-deployer", "gc-deployer",
        "gc-access-deployer", "gc-access-deployer-policy",
    }  # fmt: skip


def test_each_gpu_group_adds_a_launch_template_and_a_node_group(run: RunProgram) -> None:
    l4 = NodeGroupSpec(name="l4", instance_types=["g6.xlarge"], min_size=0, max_size=1)
    registry = cluster(run, gpu_node_groups=[A10G, l4])
    groups = {g.name for g in registry.all("aws:eks/nodeGroup:NodeGroup")}
    assert groups == {"gc-system-nodes", "gc-gpu-a10g", "gc-gpu-l4"}
    assert len(registry.all("aws:ec2/launchTemplate:LaunchTemplate")) == 3


def test_api_endpoint_is_private_by_default(run: RunProgram) -> None:
    registry = cluster(run)
    vpc = registry.one("aws:eks/cluster:Cluster").inputs["vpcConfig"]
    assert vpc["endpointPrivateAccess"] is True
    assert vpc["endpointPublicAccess"] is False
    assert "publicAccessCidrs" not in vpc
    assert vpc["subnetIds"] == ["subnet-a", "subnet-b"]
    assert vpc["securityGroupIds"] == [
        registry.one("aws:ec2/securityGroup:SecurityGroup", "gc-api-sg").id
    ]
    rules = registry.all("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert [rule.name for rule in rules] == ["gc-api-https-deployer"]  # no CIDR is admitted


def test_public_endpoint_is_open_to_the_listed_networks_only(run: RunProgram) -> None:
    registry = cluster(
        run,
        endpoint_public_access=True,
        public_access_cidrs=["203.0.113.0/24"],
        private_access_cidrs=["10.99.0.0/16"],
    )
    vpc = registry.one("aws:eks/cluster:Cluster").inputs["vpcConfig"]
    assert vpc["endpointPublicAccess"] is True
    assert vpc["publicAccessCidrs"] == ["203.0.113.0/24"]
    rule = registry.one(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "gc-api-https-0"
    )
    assert {k: rule.inputs[k] for k in ("ipProtocol", "fromPort", "toPort", "cidrIpv4")} == {
        "ipProtocol": "tcp",
        "fromPort": 443,
        "toPort": 443,
        "cidrIpv4": "10.99.0.0/16",
    }


def test_secrets_are_envelope_encrypted_with_a_rotating_key(run: RunProgram) -> None:
    registry = cluster(run)
    eks = registry.one("aws:eks/cluster:Cluster")
    key = registry.one("aws:kms/key:Key", "gc-key")
    assert eks.inputs["encryptionConfig"] == {
        "provider": {"keyArn": key.state["arn"]},
        "resources": ["secrets"],
    }
    assert key.inputs["enableKeyRotation"] is True
    grant = statement(
        policy(registry.one("aws:iam/rolePolicy:RolePolicy", "gc-cluster-encrypt-secrets")),
        "EnvelopeEncryptSecrets",
    )
    assert grant["Resource"] == key.state["arn"]


def test_every_control_plane_log_is_kept_in_an_encrypted_group(run: RunProgram) -> None:
    registry = cluster(run, log_retention_days=30)
    eks = registry.one("aws:eks/cluster:Cluster")
    group = registry.one("aws:cloudwatch/logGroup:LogGroup", "gc-control-plane-logs")
    assert eks.inputs["enabledClusterLogTypes"] == [
        "api", "audit", "authenticator", "controllerManager", "scheduler",
    ]  # fmt: skip
    assert group.inputs["name"] == f"/aws/eks/{eks.inputs['name']}/cluster"
    assert group.inputs["retentionInDays"] == 30
    assert group.property_dependencies["kmsKeyId"] == (
        registry.one("aws:kms/key:Key", "gc-key").urn,
    )
    assert group.urn in eks.dependencies  # the group exists before EKS writes to it


def test_access_is_by_api_entries_and_self_managed_addons_are_off(run: RunProgram) -> None:
    eks = cluster(run).one("aws:eks/cluster:Cluster").inputs
    assert eks["accessConfig"] == {
        "authenticationMode": "API",
        "bootstrapClusterCreatorAdminPermissions": False,
    }
    assert eks["bootstrapSelfManagedAddons"] is False
    assert eks["version"] == "1.33"


def test_gpu_nodes_are_tainted_labelled_and_run_the_nvidia_ami(run: RunProgram) -> None:
    group = cluster(run).one("aws:eks/nodeGroup:NodeGroup", "gc-gpu-a10g").inputs
    assert group["amiType"] == "AL2023_x86_64_NVIDIA"
    assert group["taints"] == [{"key": "nvidia.com/gpu", "value": "true", "effect": "NO_SCHEDULE"}]
    assert group["labels"] == {
        "k8s.amazonaws.com/accelerator": "nvidia-a10g",
        "mlops/node-group": "a10g",
        "nvidia.com/gpu.present": "true",
    }
    assert group["scalingConfig"] == {"minSize": 0, "desiredSize": 0, "maxSize": 2}
    assert group["capacityType"] == "ON_DEMAND"


def test_system_nodes_are_untainted_standard_nodes(run: RunProgram) -> None:
    group = cluster(run).one("aws:eks/nodeGroup:NodeGroup", "gc-system-nodes").inputs
    assert group["amiType"] == "AL2023_x86_64_STANDARD"
    assert group["taints"] == []
    assert group["labels"] == {"mlops/node-group": "system"}
    assert group["scalingConfig"] == {"minSize": 2, "desiredSize": 2, "maxSize": 4}


def test_every_node_requires_imdsv2_one_hop_and_an_encrypted_disk(run: RunProgram) -> None:
    registry = cluster(run)
    templates = {t.urn: t for t in registry.all("aws:ec2/launchTemplate:LaunchTemplate")}
    for group in registry.all("aws:eks/nodeGroup:NodeGroup"):
        (template_urn,) = group.property_dependencies["launchTemplate"]
        template = templates[template_urn].inputs
        assert template["metadataOptions"] == {
            "httpEndpoint": "enabled",
            "httpTokens": "required",
            "httpPutResponseHopLimit": 1,
        }
        (disk,) = template["blockDeviceMappings"]
        assert disk["deviceName"] == "/dev/xvda"
        assert disk["ebs"]["encrypted"] == "true"
        assert disk["ebs"]["volumeType"] == "gp3"
        assert group.ignore_changes == ("scalingConfig.desiredSize",)


def test_nodes_get_only_the_worker_and_registry_policies(run: RunProgram) -> None:
    registry = cluster(run)
    role = registry.one("aws:iam/role:Role", "gc-node-role")
    attached = [
        a.inputs["policyArn"]
        for a in registry.all("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        if a.property_dependencies["role"] == (role.urn,)
    ]
    assert sorted(attached) == [
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    ]
    assert not [
        p
        for p in registry.all("aws:iam/rolePolicy:RolePolicy")
        if p.property_dependencies["role"] == (role.urn,)
    ]


def test_the_vpc_cni_has_its_own_role_trusted_by_aws_node_only(run: RunProgram) -> None:
    registry = cluster(run)
    eks = registry.one("aws:eks/cluster:Cluster")
    oidc = registry.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    issuer = eks.state["identities"][0]["oidcs"][0]["issuer"].removeprefix("https://")
    assert oidc.inputs["url"] == f"https://{issuer}"
    assert oidc.inputs["clientIdLists"] == ["sts.amazonaws.com"]
    role = registry.one("aws:iam/role:Role", "gc-vpc-cni-role")
    assert policy(role, "assumeRolePolicy")["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Federated": oidc.state["arn"]},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    f"{issuer}:sub": "system:serviceaccount:kube-system:aws-node",
                    f"{issuer}:aud": "sts.amazonaws.com",
                }
            },
        }
    ]
    cni = registry.one("aws:eks/addon:Addon", "gc-vpc-cni")
    assert cni.inputs["serviceAccountRoleArn"] == role.state["arn"]


def test_add_ons_come_in_order_around_the_nodes(run: RunProgram) -> None:
    registry = cluster(run)
    addons = {a.inputs["addonName"]: a for a in registry.all("aws:eks/addon:Addon")}
    for group in registry.all("aws:eks/nodeGroup:NodeGroup"):
        assert {addons["vpc-cni"].urn, addons["kube-proxy"].urn} <= set(group.dependencies)
    system = registry.one("aws:eks/nodeGroup:NodeGroup", "gc-system-nodes")
    assert system.urn in addons["coredns"].dependencies


@pytest.mark.parametrize("protect", [True, False])
def test_cluster_key_and_logs_are_protected_with_the_data(run: RunProgram, protect: bool) -> None:
    registry = cluster(run, protect_data=protect)
    protected = {r.name for r in registry if r.protect}
    expected = (
        {"gc-key", "gc-control-plane-logs", "gc-cluster", "gc-deployer-key", "gc-deployer-logs"}
        if protect
        else set()
    )
    assert protected == expected
    assert {r.name for r in registry if r.retain_on_delete} == expected
    assert registry.one("aws:eks/cluster:Cluster").inputs["deletionProtection"] is protect


def test_an_explicit_aws_provider_reaches_every_aws_child(run: RunProgram) -> None:
    def program() -> None:
        provider = aws.Provider("acct", region="us-west-1", allowed_account_ids=["444455556666"])
        args = GpuClusterArgs(gpu_node_groups=[A10G], deployer=DEPLOYER)
        GpuCluster("gc", args, PLACEMENT, pulumi.ResourceOptions(providers={"aws": provider}))

    registry = run(program)
    provider = registry.one("pulumi:providers:aws", "acct")
    aws_children = [r for r in registry if r.type.startswith("aws:")]
    assert {r.provider for r in aws_children} == {provider.urn}


def test_outputs_are_registered(run: RunProgram) -> None:
    registry = cluster(run)
    outputs = registry.outputs(registry.one("mlops:eks:GpuCluster"))
    eks = registry.one("aws:eks/cluster:Cluster")
    assert outputs["cluster_name"] == eks.inputs["name"]
    assert outputs["endpoint"] == eks.state["endpoint"]
    assert outputs["cluster_arn"] == eks.state["arn"]
    api = registry.one("aws:ec2/securityGroup:SecurityGroup", "gc-api-sg")
    assert outputs["api_security_group_id"] == api.id
    assert (
        outputs["oidc_provider_arn"]
        == registry.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").state["arn"]
    )


def _group(**overrides: Any) -> NodeGroupSpec:
    fields = {"name": "a10g", "instance_types": ["g5.xlarge"], "min_size": 0, "max_size": 2}
    return NodeGroupSpec(**{**fields, **overrides})


@pytest.mark.parametrize(
    ("overrides", "messages"),
    [
        ({"gpu_node_groups": [_group(min_size=3, desired_size=2, max_size=4)]},
         ["gpu_node_groups[0].min_size = 3: above the desired size 2; the sizes must read "
          "minimum <= desired <= maximum"]),
        ({"gpu_node_groups": [_group(min_size=3, max_size=2)]},
         ["gpu_node_groups[0].min_size = 3: above the maximum size 2; the sizes must read "
          "minimum <= desired <= maximum"]),
        ({"system_node_group": _group(name="system", instance_types=["m6i.large"], min_size=5,
                                      desired_size=5, max_size=4)},
         ["system_node_group.min_size = 5: above the maximum size 4; the sizes must read "
          "minimum <= desired <= maximum"]),
        ({"gpu_node_groups": [_group(instance_types=["g5.xlarge", "m5.large"])]},
         ["gpu_node_groups[0].instance_types[1] = 'm5.large': not a GPU instance type; GPU "
          "groups take the families g4dn, g5, g6, gr6, g6e, p4d, p4de, p5, p5e, p5en"]),
        ({"gpu_node_groups": [_group(taints=[])]},
         ["gpu_node_groups[0].taints = []: a GPU group needs the taint nvidia.com/gpu=true:"
          "NoSchedule, so only pods that ask for GPUs land on its nodes"]),
        ({"gpu_node_groups": [_group(taints=[Taint(key="team", value="ml")])]},
         ["gpu_node_groups[0].taints = ['team=ml:NoSchedule']: a GPU group needs the taint "
          "nvidia.com/gpu=true:NoSchedule, so only pods that ask for GPUs land on its nodes"]),
        ({"gpu_node_groups": [_group(instance_types=["g5.xlarge", "g6.xlarge"])]},
         ["gpu_node_groups[0].instance_types = ['g5.xlarge', 'g6.xlarge']: mixes GPU models "
          "(nvidia-a10g, nvidia-l4); one group, one GPU model"]),
        ({"gpu_node_groups": []},
         ["gpu_node_groups = []: at least one GPU node group; models are served on it"]),
        ({"kubernetes_version": "1.27"},
         ["kubernetes_version = '1.27': the platform supports 1.31, 1.32, 1.33"]),
        ({"endpoint_public_access": True},
         ["public_access_cidrs = []: a public endpoint needs the networks allowed to reach it; "
          "list them"]),
        ({"public_access_cidrs": ["203.0.113.0/24"]},
         ["public_access_cidrs = ['203.0.113.0/24']: only used with endpoint_public_access; "
          "remove them or turn it on"]),
        ({"endpoint_public_access": True, "public_access_cidrs": ["203.0.113.1/24"]},
         ["public_access_cidrs[0] = '203.0.113.1/24': has host bits set; did you mean "
          "203.0.113.0/24?"]),
        ({"log_retention_days": 10},
         ["log_retention_days = 10: CloudWatch Logs accepts 1, 3, 5, 7, 14, 30, 60, 90, 120, "
          "150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"]),
        ({"admin_role_arns": ["deployer"], "viewer_role_arns": ["arn:aws:iam::1:role/ci"]},
         ["admin_role_arns[0] = 'deployer': an IAM role ARN such as "
          "arn:aws:iam::123456789012:role/ci",
          "viewer_role_arns[0] = 'arn:aws:iam::1:role/ci': an IAM role ARN such as "
          "arn:aws:iam::123456789012:role/ci"]),
        ({"deployer": None},
         ["deployer = None: a private-only API answers only inside the VPC; set a deployer so "
          "the serving layer is applied from there"]),
        ({"deployer": DeployerSpec(backend_url="bucket", secrets_key_arn="alias/x",
                                   pulumi_version="latest")},
         ["deployer.backend_url = 'bucket': an S3 backend URL such as s3://bucket",
          "deployer.secrets_key_arn = 'alias/x': a KMS key or alias ARN",
          "deployer.pulumi_version = 'latest': a version such as 3.272.0"]),
    ],
)  # fmt: skip
def test_bad_args_are_rejected_with_exact_messages(
    overrides: dict[str, Any], messages: list[str]
) -> None:
    with pytest.raises(ArgsError) as raised:
        GpuClusterArgs(**{"gpu_node_groups": [A10G], "deployer": DEPLOYER, **overrides})
    assert [str(problem) for problem in raised.value.problems] == messages


def test_bootstrap_admin_is_off_and_ignored_so_an_old_cluster_is_not_replaced(
    run: RunProgram,
) -> None:
    eks = cluster(run).one("aws:eks/cluster:Cluster")
    # ForceNew in the provider: a cluster created with `true` must keep it, not be replaced.
    assert eks.ignore_changes == ("accessConfig.bootstrapClusterCreatorAdminPermissions",)


def test_listed_roles_get_one_entry_and_one_least_privilege_policy_each(run: RunProgram) -> None:
    admin, viewer = "arn:aws:iam::123456789012:role/ops", "arn:aws:iam::123456789012:role/ci"
    registry = cluster(run, admin_role_arns=[admin], viewer_role_arns=[viewer])
    entries = {r.name: r.inputs for r in registry.all("aws:eks/accessEntry:AccessEntry")}
    policies = {
        r.name: (r.inputs["policyArn"], r.inputs["accessScope"])
        for r in registry.all("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    }
    deployer_role = registry.one("aws:iam/role:Role", "gc-deployer-role").state["arn"]
    assert {name: e["principalArn"] for name, e in entries.items()} == {
        "gc-access-admin-0": admin,
        "gc-access-viewer-0": viewer,
        "gc-access-deployer": deployer_role,
    }
    prefix = "arn:aws:eks::aws:cluster-access-policy/"
    assert policies == {
        "gc-access-admin-0-policy": (f"{prefix}AmazonEKSClusterAdminPolicy", {"type": "cluster"}),
        "gc-access-viewer-0-policy": (f"{prefix}AmazonEKSViewPolicy", {"type": "cluster"}),
        "gc-access-deployer-policy": (f"{prefix}AmazonEKSClusterAdminPolicy", {"type": "cluster"}),
    }


def test_the_deployer_runs_in_the_private_subnets_and_may_reach_the_api(run: RunProgram) -> None:
    registry = cluster(run)
    project = registry.one("aws:codebuild/project:Project", "gc-deployer").inputs
    group = registry.one("aws:ec2/securityGroup:SecurityGroup", "gc-deployer-sg")
    assert project["vpcConfig"]["subnets"] == ["subnet-a", "subnet-b"]
    assert project["vpcConfig"]["securityGroupIds"] == [group.id]
    assert project["environment"]["privilegedMode"] is False
    assert project["logsConfig"]["cloudwatchLogs"]["status"] == "ENABLED"
    assert "pulumi up --yes --stack $STACK" in project["source"]["buildspec"]
    ingress = registry.one(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "gc-api-https-deployer"
    ).inputs
    api = registry.one("aws:ec2/securityGroup:SecurityGroup", "gc-api-sg")
    assert (ingress["securityGroupId"], ingress["referencedSecurityGroupId"]) == (
        api.id,
        group.id,
    )
    assert (ingress["fromPort"], ingress["toPort"]) == (443, 443)
    logs = registry.one("aws:cloudwatch/logGroup:LogGroup", "gc-deployer-logs").inputs
    assert logs["kmsKeyId"] == registry.one("aws:kms/key:Key", "gc-deployer-key").state["arn"]


def test_the_deployer_writes_only_the_serving_state_and_serving_roles(run: RunProgram) -> None:
    registry = cluster(run)
    document = policy(registry.one("aws:iam/rolePolicy:RolePolicy", "gc-deployer-permissions"))
    assert statement(document, "WriteServingStateOnly")["Resource"] == (
        "arn:aws:s3:::state-bucket/.pulumi/*/mlops-serving/*"
    )
    assert statement(document, "ManageServingRoles")["Resource"] == (
        "arn:aws:iam::123456789012:role/dev-serving-*"
    )
    trust = json.loads(
        registry.one("aws:iam/role:Role", "gc-deployer-role").inputs["assumeRolePolicy"]
    )
    assert trust["Statement"][0]["Principal"] == {"Service": "codebuild.amazonaws.com"}
    # Its builds may attach network interfaces for CodeBuild only, and only in its subnets.
    assert statement(document, "VpcInterfaces")["Condition"] == {
        "StringEquals": {"ec2:AuthorizedService": "codebuild.amazonaws.com"},
        "ArnEquals": {
            "ec2:Subnet": [
                "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-a",
                "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-b",
            ]
        },
    }


@pytest.mark.parametrize(
    ("cidrs", "placeholders"),
    [
        (["203.0.113.0/24"], ["203.0.113.0/24"]),
        (["198.51.100.128/25", "10.0.0.0/8"], ["198.51.100.128/25"]),
        (["192.0.2.0/24", "192.0.0.0/16"], ["192.0.2.0/24"]),
        (["100.64.0.0/10"], []),
    ],
)
def test_documentation_ranges_are_reported_as_placeholders(
    cidrs: list[str], placeholders: list[str]
) -> None:
    args = GpuClusterArgs(
        gpu_node_groups=[A10G], endpoint_public_access=True, public_access_cidrs=cidrs
    )
    assert placeholder_cidrs(args) == placeholders
