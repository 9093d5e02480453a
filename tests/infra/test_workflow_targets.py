"""The workflows' targets: every managed endpoint and model service, in the committed plans."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from infra import workflows
from infra.config import parse
from mlops_platform.preview.stack import StackPreview
from mlops_platform.testing import Registry
from tests.infra.test_serving_stacks import stack_values

STACKS = ("dev", "staging", "prod")
SERVICES = {"dev": ["fraud-scorer"], "staging": ["fraud-scorer"],
            "prod": ["churn-ranker", "fraud-scorer"]}  # fmt: skip
"""The committed stacks' `release: managed` services."""


@pytest.fixture(scope="module")
def stacks(committed_previews: dict[str, StackPreview]) -> dict[str, Registry]:
    return {stack: preview.registry for stack, preview in committed_previews.items()}


def resource(registry: Registry, type_: str, suffix: str) -> Any:
    return next(r for r in registry.all(type_) if r.name.endswith(suffix))


@pytest.mark.parametrize("stack", STACKS)
def test_verify_knows_every_managed_service_on_the_stacks_cluster(
    stacks: dict[str, Registry], stack: str
) -> None:
    registry = stacks[stack]
    cluster = registry.one("aws:eks/cluster:Cluster")
    verify = registry.one("aws:lambda/function:Function", f"{stack}-workflows-verify")
    targets = json.loads(verify.inputs["environment"]["variables"]["EKS_TARGETS"])
    assert targets == {
        name: {"cluster_name": cluster.state["name"], "namespace": name, "rollout": name}
        for name in SERVICES[stack]
    }


@pytest.mark.parametrize("stack", STACKS)
def test_the_deploy_project_applies_the_serving_layer_from_inside_the_vpc(
    stacks: dict[str, Registry], stack: str
) -> None:
    registry = stacks[stack]
    project = registry.one("aws:codebuild/project:Project", f"{stack}-workflows-deploy")
    listed = project.inputs["environment"]["environmentVariables"]
    variables = {v["name"]: v["value"] for v in listed}
    assert variables == {
        "STACK": stack,
        "SERVICE_TARGETS": " ".join(SERVICES[stack]),
        "PULUMI_BACKEND_URL": f"s3://acme-pulumi-state-{stack}",
    }
    group = registry.one("aws:ec2/securityGroup:SecurityGroup", f"{stack}-workflows-deploy-sg")
    private = sorted(s.id for s in registry.all("aws:ec2/subnet:Subnet") if "private" in s.name)
    assert sorted(project.inputs["vpcConfig"]["subnets"]) == private
    assert group.id in project.inputs["vpcConfig"]["securityGroupIds"]
    api = resource(registry, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                   "workflows-api-https-deploy")  # fmt: skip
    assert api.inputs["referencedSecurityGroupId"] == group.id
    assert api.inputs["securityGroupId"] == registry.one("aws:eks/cluster:Cluster").inputs[
        "vpcConfig"]["securityGroupIds"][0]  # fmt: skip


@pytest.mark.parametrize("stack", STACKS)
def test_the_deploy_role_is_cluster_admin_by_access_entry(
    stacks: dict[str, Registry], stack: str
) -> None:
    registry = stacks[stack]
    role = registry.one("aws:iam/role:Role", f"{stack}-workflows-deploy-role")
    entry = registry.one("aws:eks/accessEntry:AccessEntry", f"{stack}-workflows-deploy-access")
    assert entry.inputs["principalArn"] == role.state["arn"]
    assert entry.inputs["clusterName"] == registry.one("aws:eks/cluster:Cluster").state["name"]
    association = registry.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
                               f"{stack}-workflows-deploy-access-policy")  # fmt: skip
    assert association.inputs["policyArn"].endswith("/AmazonEKSClusterAdminPolicy")


@pytest.mark.parametrize("stack", STACKS)
def test_bake_alarms_are_the_endpoints_only(stacks: dict[str, Registry], stack: str) -> None:
    """Services bring no CloudWatch alarm (docs/workflows.md): the rule names endpoints' only."""
    registry = stacks[stack]
    rule = resource(registry, "aws:cloudwatch/eventRule:EventRule", "workflows-alarms")
    alarms = [arn.rsplit(":", 1)[1] for arn in json.loads(rule.inputs["eventPattern"])["resources"]]
    assert alarms
    assert all("fraud-detector" in alarm for alarm in alarms)


def config(stack: str, *, without: tuple[str, ...] = (), **changes: Any) -> Any:
    values = {k: v for k, v in stack_values(stack, **changes).items() if k not in without}
    return parse(values, region="us-east-1", stack=stack)


def pinned(stack: str) -> list[dict[str, Any]]:
    """The stack's endpoints with every variant pinned."""
    endpoints: list[dict[str, Any]] = json.loads(stack_values(stack)["endpoints"])
    for endpoint in endpoints:
        for variant in endpoint["variants"]:
            variant["release"] = "pinned"
            variant.pop("imageDigest", None)
            variant.pop("commit", None)
    return endpoints


def test_a_pinned_endpoint_is_no_target() -> None:
    assert workflows.endpoint_targets(config("dev", endpoints=pinned("dev")), {}) == []


def test_a_pinned_service_is_no_target() -> None:
    services: list[dict[str, Any]] = json.loads(stack_values("prod")["services"])
    services[0] = {k: v for k, v in services[0].items() if k not in ("imageDigest", "commit")}
    services[0]["release"] = "pinned"
    cluster: Any = SimpleNamespace(cluster_name="c", cluster_arn="arn", api_security_group_id="sg")
    found = workflows.service_targets(config("prod", services=services), cluster)
    assert [t.name for t in found] == [s["serviceName"] for s in services[1:]]


def test_workflows_without_a_target_are_a_warned_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    warned: list[str] = []
    monkeypatch.setattr(workflows.pulumi.log, "warn", warned.append)
    stack = config("dev", endpoints=pinned("dev"), without=("services", "cluster", "delivery"))
    network: Any = None  # never reached: nothing is created
    options = workflows.pulumi.ResourceOptions()
    assert workflows.create_workflows(stack, network, {}, options) is None
    assert warned == [workflows.NO_TARGETS]


def test_a_service_target_keeps_its_models_under_its_name() -> None:
    service = config("dev").services[0]
    assert workflows.service_artifact_prefix(service) == "s3://mlops-models-dev/fraud-scorer/"
