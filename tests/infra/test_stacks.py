"""The three committed stacks, previewed by the real program: they differ as the files say."""

from __future__ import annotations

import importlib
import inspect
import io
import json
from functools import cache
from pathlib import Path

import pytest

from infra.config import ConfigError
from mlops_platform.preview.project import PulumiProject
from mlops_platform.preview.stack import Progress, StackPreview, preview_stack
from mlops_platform.testing import Registration, Registry
from tests.conftest import PROJECT_ROOT

COMMON_TAG_KEYS = {"Environment", "Owner", "CostCentre", "ManagedBy", "Project", "Stack"}


@pytest.fixture(scope="module")
def stacks(committed_previews: dict[str, StackPreview]) -> dict[str, Registry]:
    return {stack: preview.registry for stack, preview in committed_previews.items()}


@cache
def taggable(type_token: str) -> bool:
    """Whether a pulumi-aws resource type accepts tags, read from its Python class."""
    package, module_path, class_name = type_token.split(":")
    if package != "aws":
        return False
    module_name = module_path.split("/")[0]
    module_name = "lambda_" if module_name == "lambda" else module_name  # a Python keyword
    module = importlib.import_module(f"pulumi_aws.{module_name}")
    resource_class = getattr(module, class_name)
    return "tags" in inspect.signature(resource_class._internal_init).parameters


def zones(registry: Registry) -> set[str]:
    return {s.inputs["availabilityZone"] for s in registry.all("aws:ec2/subnet:Subnet")}


@pytest.mark.parametrize(
    ("stack", "zone_count", "nat_gateways"),
    [("dev", 2, 1), ("staging", 2, 2), ("prod", 3, 3)],
)
def test_zones_and_nat_gateways_follow_the_environment(
    stacks: dict[str, Registry], stack: str, zone_count: int, nat_gateways: int
) -> None:
    registry = stacks[stack]
    assert len(zones(registry)) == zone_count
    assert len(registry.all("aws:ec2/subnet:Subnet")) == 2 * zone_count
    assert len(registry.all("aws:ec2/natGateway:NatGateway")) == nat_gateways


WORKFLOW_STATEFUL = (
    "key", "ledger", "locks", "deploy-logs", "promotion-machine-logs", "training-machine-logs",
    *(f"{handler}-logs" for handler in (
        "intake", "lock", "ledger", "release", "apply", "verify", "bake", "training", "gate",
        "rollback-trigger", "approval",
    )),
)  # fmt: skip
"""The workflows' children that hold data: key, tables and every log group."""


def test_dev_protects_nothing_while_staging_and_prod_protect_and_keep_their_data(
    stacks: dict[str, Registry],
) -> None:
    assert [r.name for r in stacks["dev"] if r.protect] == []
    # Superseded models and configurations are kept in every environment (a SageMaker rollback
    # may leave the endpoint on them); nothing else is kept in dev.
    assert {r.type for r in stacks["dev"] if r.retain_on_delete} == {
        "aws:sagemaker/model:Model",
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    }
    endpoints = {"staging": ["fraud-detector"], "prod": ["fraud-detector", "fraud-shadow"]}
    for stack in ("staging", "prod"):
        registry = stacks[stack]
        protected = {r.name for r in registry if r.protect}
        assert protected == {
            f"{stack}-network-flow-logs-key",
            f"{stack}-network-flow-logs",
            f"{stack}-cluster-key",
            f"{stack}-cluster-control-plane-logs",
            f"{stack}-cluster-cluster",
            f"{stack}-cluster-deployer-key",
            f"{stack}-cluster-deployer-logs",
            *(
                f"{stack}-{endpoint}-{store}"
                for endpoint in endpoints[stack]
                for store in ("key", "logs", "capture", "registry")
            ),
            *(
                f"{stack}-fraud-detector-cd-{store}"  # the pipeline: managed endpoints only
                for store in ("key", "artifacts", "builds-logs", "trigger-logs", "images", "dedupe")
            ),
            *(f"{stack}-workflows-{suffix}" for suffix in WORKFLOW_STATEFUL),
            f"{stack}-observability-alerts-key",
            f"{stack}-audit-key",
            f"{stack}-audit-logs",
            f"{stack}-audit-bucket",
            f"{stack}-audit-access-logs",
            f"{stack}-audit-trail",
            *(f"{stack}-fraud-detector-drift-{store}" for store in ("key", "logs", "reports")),
        }
        assert all(r.retain_on_delete for r in registry if r.protect)
        # Models and endpoint configurations are kept, not protected: a rollout replaces them.
        kept_only = {r.type for r in registry if r.retain_on_delete and not r.protect}
        assert kept_only == {
            "aws:sagemaker/model:Model",
            "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
        }
        group = registry.one("aws:cloudwatch/logGroup:LogGroup", f"{stack}-network-flow-logs")
        assert group.inputs["deletionProtectionEnabled"] is True


def test_flow_log_retention_is_short_in_dev_and_a_year_in_prod(stacks: dict[str, Registry]) -> None:
    retention = {
        stack: registry.one(
            "aws:cloudwatch/logGroup:LogGroup", f"{stack}-network-flow-logs"
        ).inputs["retentionInDays"]
        for stack, registry in stacks.items()
    }
    assert retention == {"dev": 30, "staging": 90, "prod": 365}


@pytest.mark.parametrize(
    ("stack", "account"),
    [("dev", "123456789012"), ("staging", "111122223333"), ("prod", "444455556666")],
)
def test_separate_accounts_are_reached_through_an_assumed_role_and_nothing_else(
    stacks: dict[str, Registry], stack: str, account: str
) -> None:
    registry = stacks[stack]
    provider = registry.one("pulumi:providers:aws")
    assert json.loads(provider.inputs["allowedAccountIds"]) == [account]
    assert json.loads(provider.inputs["assumeRoles"]) == [
        {
            "roleArn": f"arn:aws:iam::{account}:role/mlops-deployer",
            "sessionName": f"mlops-platform-{stack}",
        }
    ]
    assert provider.inputs["region"] == "us-east-1"
    assert {r.provider for r in registry if r.type.startswith("aws:")} == {provider.urn}


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_common_tags_reach_every_taggable_resource(stacks: dict[str, Registry], stack: str) -> None:
    registry = stacks[stack]
    taggable_resources = [r for r in registry if r.custom and taggable(r.type)]
    assert len(taggable_resources) > 20
    for resource in taggable_resources:
        tags = resource.inputs.get("tags", {})
        assert tags.keys() >= COMMON_TAG_KEYS, resource.urn
        assert tags["Environment"] == stack
        assert tags["Stack"] == stack


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_every_resource_belongs_to_a_component_or_is_a_provider(
    stacks: dict[str, Registry], stack: str
) -> None:
    registry = stacks[stack]
    stack_urn = registry.one("pulumi:pulumi:Stack").urn
    top_level = {r.type for r in registry if r.parent == stack_urn}
    assert top_level <= {
        "mlops:network:Network",
        "mlops:sagemaker:ModelEndpoint",
        "mlops:eks:GpuCluster",
        "mlops:eks:ModelService",
        "mlops:delivery:ModelPipeline",
        "mlops:delivery:GithubOidc",
        # Release records exist before the endpoints that read them: the program's own.
        "aws:ssm/parameter:Parameter",
        "mlops:workflows:PromotionWorkflows",
        "mlops:observability:Observability",
        "mlops:observability:DriftDetector",
        "mlops:audit:AuditTrail",
        "pulumi:providers:aws",
    }


def test_a_bad_stack_file_stops_the_program_before_any_resource(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text(
        f"name: mlops-platform\nruntime: python\nmain: {PROJECT_ROOT / 'infra'}\n"
    )
    (tmp_path / "Pulumi.broken.yaml").write_text(
        "config:\n  aws:region: us-east-1\n  mlops:environment: prod\n  mlops:owner: me\n"
        "  mlops:costCentre: cc\n  mlops:network:\n    vpcCidr: 10.0.0.0/12\n"
    )
    registered: list[str] = []

    class Recording(Progress):
        def registered(self, registration: Registration) -> None:
            registered.append(registration.type)

    with pytest.raises(ConfigError) as raised:
        preview_stack(
            PulumiProject.load(tmp_path), "broken", tmp_path / "out", Recording(io.StringIO())
        )
    assert [str(p) for p in raised.value.problems] == [
        "mlops:network.vpcCidr = '10.0.0.0/12': AWS allows VPC prefixes from /16 to /28",
        "mlops:audit.readerArns = []: prod names at least one role that may read the trail",
        "mlops:audit.dataBucketArns = []: prod records object events on its model, capture and "
        "artifact buckets",
        "mlops:alerting.subscriptions = []: prod notifies at least one on-call address",
    ]
    assert registered == ["pulumi:pulumi:Stack"]
    assert not (tmp_path / "out" / "broken.json").exists()
