"""The committed stacks, run through the real program: dev's endpoint and prod's guardrails."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_platform.preview.endpoint_summary import endpoint_lines
from mlops_platform.preview.release_summary import release_lines
from mlops_platform.preview.stack import StackPreview, summary
from mlops_platform.testing import Registration, Registry

ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"


@pytest.fixture(scope="module")
def stacks(committed_previews: dict[str, StackPreview]) -> dict[str, Registry]:
    """Every committed stack, previewed once for the session."""
    return {stack: preview.registry for stack, preview in committed_previews.items()}


def production_variants(registry: Registry) -> list[dict]:
    return registry.one(CONFIG).inputs["productionVariants"]


def routing(registry: Registry) -> dict:
    policy = registry.one(ENDPOINT).inputs["deploymentConfig"]["blueGreenUpdatePolicy"]
    return policy["trafficRoutingConfiguration"]


def test_dev_has_one_small_endpoint_that_takes_a_version_at_once(
    stacks: dict[str, Registry],
) -> None:
    dev = stacks["dev"]
    assert [r.name for r in dev.all("mlops:sagemaker:ModelEndpoint")] == ["dev-fraud-detector"]
    assert routing(dev) == {"type": "ALL_AT_ONCE", "waitIntervalInSeconds": 120}
    assert [(v["variantName"], v["initialInstanceCount"]) for v in production_variants(dev)] == [
        ("blue", 1)
    ]
    assert dev.all("aws:appautoscaling/target:Target") == []
    assert not any(r.protect for r in dev)  # dev protects nothing
    capture = dev.one(CONFIG).inputs["dataCaptureConfig"]
    assert capture["initialSamplingPercentage"] == 100


def test_staging_and_prod_shift_gradually_with_two_instances_per_production_variant(
    stacks: dict[str, Registry],
) -> None:
    assert routing(stacks["staging"])["type"] == "LINEAR"
    assert routing(stacks["staging"])["linearStepSize"] == {"type": "CAPACITY_PERCENT", "value": 25}
    assert routing(stacks["prod"]) == {
        "type": "CANARY",
        "canarySize": {"type": "CAPACITY_PERCENT", "value": 10},
        "waitIntervalInSeconds": 600,
    }
    for stack in ("staging", "prod"):
        counts = [v["initialInstanceCount"] for v in production_variants(stacks[stack])]
        assert counts
        assert min(counts) >= 2, stack


def test_prod_rolls_back_on_alarms_for_every_production_variant(
    stacks: dict[str, Registry],
) -> None:
    prod = stacks["prod"]
    deployment = prod.one(ENDPOINT).inputs["deploymentConfig"]
    rollback = {a["alarmName"] for a in deployment["autoRollbackConfiguration"]["alarms"]}
    alarms = prod.all("aws:cloudwatch/metricAlarm:MetricAlarm")
    assert rollback == {a.inputs["name"] for a in alarms}
    watched = {(a.inputs["dimensions"]["VariantName"], a.inputs["metricName"]) for a in alarms}
    assert watched == {
        ("blue", "Invocation5XXErrors"),
        ("blue", "ModelLatency"),
        ("green", "Invocation5XXErrors"),
        ("green", "ModelLatency"),
    }
    latency = [a.inputs for a in alarms if a.inputs["metricName"] == "ModelLatency"]
    assert {(a["extendedStatistic"], a["threshold"]) for a in latency} == {("p99", 250_000)}
    shadows = prod.one(CONFIG).inputs["shadowProductionVariants"]
    assert [(v["variantName"], v["initialVariantWeight"]) for v in shadows] == [("candidate", 0.5)]


def test_prod_autoscales_both_variants_and_keeps_their_counts(stacks: dict[str, Registry]) -> None:
    prod = stacks["prod"]
    targets = {
        r.inputs["resourceId"].rsplit("/", 1)[-1]: (
            r.inputs["minCapacity"],
            r.inputs["maxCapacity"],
        )
        for r in prod.all("aws:appautoscaling/target:Target")
    }
    assert targets == {"blue": (3, 10), "green": (2, 4)}
    assert prod.one(CONFIG).ignore_changes == (
        "productionVariants[0].initialInstanceCount",
        "productionVariants[1].initialInstanceCount",
    )


def test_prod_protects_its_stores_and_keeps_superseded_versions(
    stacks: dict[str, Registry],
) -> None:
    prod = stacks["prod"]
    component = prod.one("mlops:sagemaker:ModelEndpoint", "prod-fraud-detector")
    protected = {r.type for r in prod.descendants_of(component) if r.protect}
    assert protected == {
        "aws:kms/key:Key",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:s3/bucket:Bucket",
        "aws:sagemaker/modelPackageGroup:ModelPackageGroup",
    }
    kept = {r.type for r in prod.descendants_of(component) if r.retain_on_delete}
    assert kept == protected | {"aws:sagemaker/model:Model", CONFIG}
    assert prod.one(CONFIG).inputs["dataCaptureConfig"]["initialSamplingPercentage"] == 20


def in_stack(registry: Registry, type_: str, name: str) -> Registration:
    return registry.one(type_, name)


def test_models_run_in_the_private_subnets_behind_the_workload_security_group(
    stacks: dict[str, Registry],
) -> None:
    prod = stacks["prod"]
    private = sorted(s.id for s in prod.all("aws:ec2/subnet:Subnet") if "private" in s.name)
    group = in_stack(prod, "aws:ec2/securityGroup:SecurityGroup", "prod-network-workloads-sg")
    for model in prod.all("aws:sagemaker/model:Model"):
        assert sorted(model.inputs["vpcConfig"]["subnets"]) == private
        assert model.inputs["vpcConfig"]["securityGroupIds"] == [group.id]
        assert model.inputs["enableNetworkIsolation"] is True
    assert group.provider == in_stack(prod, "pulumi:providers:aws", "prod-account").urn


def test_the_prod_preview_shows_each_endpoints_guardrails(stacks: dict[str, Registry]) -> None:
    bucket = (
        stacks["prod"].one("aws:s3/bucket:Bucket", "prod-fraud-detector-capture").state["bucket"]
    )
    assert endpoint_lines(stacks["prod"]) == [
        "  endpoints:",
        "    prod-fraud-detector: CANARY (10 %), bake 600 s after each shift, old fleet kept "
        "600 s, timeout 3600 s",
        "      variants: blue ml.m5.xlarge x3 weight 0.9, green ml.m5.xlarge x2 weight 0.1, "
        "candidate (shadow) ml.m5.xlarge x1 weight 0.5",
        "      rollback alarms (4) blue Invocation5XXErrors Sum > 2, blue ModelLatency p99 > "
        "250 ms, green Invocation5XXErrors Sum > 2, green ModelLatency p99 > 250 ms",
        "      autoscaling: blue 3-10, green 2-4",
        f"      data capture: 20 % of requests and responses to s3://{bucket}/data-capture/, "
        "KMS-encrypted",
    ]
    text = summary(StackPreview("prod", stacks["prod"], Path("prod.json"), 0.1))
    shown = endpoint_lines(stacks["prod"]) + release_lines(stacks["prod"])
    assert text.endswith("\n".join(shown))


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_each_stack_has_its_pipeline_image_repository_ci_roles_and_release_record(
    stacks: dict[str, Registry], stack: str
) -> None:
    registry = stacks[stack]
    assert [r.name for r in registry.all("mlops:delivery:ModelPipeline")] == [
        f"{stack}-fraud-detector-cd"
    ]
    assert registry.one("aws:ecr/repository:Repository").inputs["imageTagMutability"] == (
        "IMMUTABLE"
    )
    ci = {r.name for r in registry.all("aws:iam/role:Role") if r.name.startswith(f"{stack}-github")}
    assert ci == {f"{stack}-github-{stack}", f"{stack}-github-pull-request"}
    parameter = registry.one("aws:ssm/parameter:Parameter")
    assert parameter.inputs["name"] == f"/mlops/{stack}/release/fraud-detector.blue"
    pipeline = registry.one("aws:codepipeline/pipeline:Pipeline").inputs
    deploy_stage = pipeline["stages"][-1]
    approves = [a["name"] for a in deploy_stage["actions"]][:1] == ["Approve"]
    assert approves is (stack == "prod")
    assert ("onSuccess" in deploy_stage) is (stack != "dev")


def test_the_summary_shows_what_each_release_record_deploys(stacks: dict[str, Registry]) -> None:
    assert release_lines(stacks["prod"]) == [
        "  releases:",
        "    fraud-detector.blue: version 1: image 444455556666.dkr.ecr.us-east-1.amazonaws.com/"
        "fraud-detector:1.5.0, model s3://acme-ml-models-prod/fraud-detector/1.5.0/model.tar.gz"
        " (/mlops/prod/release/fraud-detector.blue, first version: no record yet)",
    ]
