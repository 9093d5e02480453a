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


def production_variants(registry: Registry, name: str | None = None) -> list[dict]:
    config = registry.one(CONFIG, f"{name}-config" if name else None)
    return config.inputs["productionVariants"]


def routing(registry: Registry, name: str | None = None) -> dict:
    endpoint = registry.one(ENDPOINT, f"{name}-endpoint" if name else None)
    return endpoint.inputs["deploymentConfig"]["blueGreenUpdatePolicy"][
        "trafficRoutingConfiguration"
    ]


PROD = ("prod-fraud-detector", "prod-fraud-shadow")
"""Prod's endpoints: the A/B test, and the shadow test beside a single production variant."""


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
    for name in PROD:
        assert routing(stacks["prod"], name) == {
            "type": "CANARY",
            "canarySize": {"type": "CAPACITY_PERCENT", "value": 10},
            "waitIntervalInSeconds": 600,
        }
    for stack, name in (("staging", None), *(("prod", name) for name in PROD)):
        counts = [v["initialInstanceCount"] for v in production_variants(stacks[stack], name)]
        assert counts
        assert min(counts) >= 2, stack


def test_prod_runs_the_ab_test_and_the_shadow_test_on_endpoints_aws_accepts(
    stacks: dict[str, Registry],
) -> None:
    prod = stacks["prod"]
    ab = prod.one(CONFIG, "prod-fraud-detector-config").inputs
    assert [(v["variantName"], v["initialVariantWeight"]) for v in ab["productionVariants"]] == [
        ("blue", 0.9),
        ("green", 0.1),
    ]
    assert "shadowProductionVariants" not in ab
    shadow = prod.one(CONFIG, "prod-fraud-shadow-config").inputs
    assert [v["variantName"] for v in shadow["productionVariants"]] == ["blue"]
    shadows = shadow["shadowProductionVariants"]
    assert [(v["variantName"], v["initialVariantWeight"]) for v in shadows] == [
        ("candidate", 0.5)
    ]  # fmt: skip


def test_prod_rolls_back_on_two_alarms_over_every_production_variant(
    stacks: dict[str, Registry],
) -> None:
    prod = stacks["prod"]
    for name, variants in zip(PROD, (["blue", "green"], ["blue"]), strict=True):
        endpoint = prod.one(ENDPOINT, f"{name}-endpoint")
        deployment = endpoint.inputs["deploymentConfig"]
        rollback = [a["alarmName"] for a in deployment["autoRollbackConfiguration"]["alarms"]]
        physical = endpoint.inputs["name"]
        assert rollback == [f"{physical}-5xx", f"{physical}-latency"]
        for purpose, metric, stat, threshold in (
            ("5xx", "Invocation5XXErrors", "Sum", 2),
            ("latency", "ModelLatency", "p99", 250_000),
        ):
            alarm = prod.one("aws:cloudwatch/metricAlarm:MetricAlarm", f"{name}-alarm-{purpose}")
            metrics = [q["metric"] for q in alarm.inputs["metricQueries"] if "metric" in q]
            assert [m["dimensions"]["VariantName"] for m in metrics] == variants
            assert {(m["metricName"], m["stat"]) for m in metrics} == {(metric, stat)}
            assert alarm.inputs["threshold"] == threshold


def test_prod_autoscales_both_variants_and_keeps_their_counts(stacks: dict[str, Registry]) -> None:
    prod = stacks["prod"]
    targets = {
        r.inputs["resourceId"].rsplit("/", 1)[-1]: (
            r.inputs["minCapacity"],
            r.inputs["maxCapacity"],
        )
        for r in prod.all("aws:appautoscaling/target:Target")
        if r.name.startswith("prod-fraud-detector-")
    }
    assert targets == {"blue": (3, 10), "green": (2, 4)}
    assert prod.one(CONFIG, "prod-fraud-detector-config").ignore_changes == (
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
    config = prod.one(CONFIG, "prod-fraud-detector-config")
    assert config.inputs["dataCaptureConfig"]["initialSamplingPercentage"] == 20


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
    prod = stacks["prod"]
    buckets = [prod.one("aws:s3/bucket:Bucket", f"{n}-capture").state["bucket"] for n in PROD]
    canary = "CANARY (10 %), bake 600 s after each shift, old fleet kept 600 s, timeout 3600 s"
    alarms = "Invocation5XXErrors Sum > 2, worst of {0} ModelLatency p99 > 250 ms"
    assert endpoint_lines(prod) == [
        "  endpoints:",
        f"    prod-fraud-detector: {canary}",
        "      variants: blue ml.m5.xlarge x3 weight 0.9, green ml.m5.xlarge x2 weight 0.1",
        "      rollback alarms (2) worst of blue/green " + alarms.format("blue/green"),
        "      autoscaling: blue 3-10, green 2-4",
        f"      data capture: 20 % of requests and responses to s3://{buckets[0]}/data-capture/, "
        "KMS-encrypted",
        f"    prod-fraud-shadow: {canary}",
        "      variants: blue ml.m5.xlarge x2 weight 1, candidate (shadow) ml.m5.xlarge x1 "
        "weight 0.5",
        "      rollback alarms (2) worst of blue " + alarms.format("blue"),
        "      autoscaling: none (fixed instance counts)",
        f"      data capture: 20 % of requests and responses to s3://{buckets[1]}/data-capture/, "
        "KMS-encrypted",
    ]
    text = summary(StackPreview("prod", prod, Path("prod.json"), 0.1))
    shown = endpoint_lines(prod) + release_lines(prod)
    assert text.endswith("\n".join(shown))


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_each_stack_has_its_pipeline_image_repository_ci_roles_and_release_record(
    stacks: dict[str, Registry], stack: str
) -> None:
    registry = stacks[stack]
    endpoints = ["fraud-detector"]  # prod's fraud-shadow is pinned: no record, no pipeline
    assert [r.name for r in registry.all("mlops:delivery:ModelPipeline")] == [
        f"{stack}-{endpoint}-cd" for endpoint in endpoints
    ]
    repositories = registry.all("aws:ecr/repository:Repository")
    assert [r.name for r in repositories] == [f"{stack}-{e}-cd-images" for e in endpoints]
    assert {r.inputs["imageTagMutability"] for r in repositories} == {"IMMUTABLE"}
    ci = {r.name for r in registry.all("aws:iam/role:Role") if r.name.startswith(f"{stack}-github")}
    assert ci == {f"{stack}-github-{stack}", f"{stack}-github-pull-request"}
    parameter = registry.one("aws:ssm/parameter:Parameter", f"{stack}-release-fraud-detector")
    assert parameter.inputs["name"] == f"/mlops/{stack}/release/fraud-detector"
    pipeline = registry.one(
        "aws:codepipeline/pipeline:Pipeline", f"{stack}-fraud-detector-cd-pipeline"
    ).inputs
    deploy_stage = pipeline["stages"][-1]
    approves = [a["name"] for a in deploy_stage["actions"]][:1] == ["Approve"]
    assert approves is (stack == "prod")
    assert ("onSuccess" in deploy_stage) is (stack != "dev")


def test_the_summary_shows_what_each_release_record_deploys(stacks: dict[str, Registry]) -> None:
    assert release_lines(stacks["prod"]) == [
        "  releases:",
        "    churn-ranker: version 1: image 444455556666.dkr.ecr.us-east-1.amazonaws.com/"
        "churn-ranker:2.0.1, model s3://mlops-models-prod/churn-ranker/2.0.1/"
        " (/mlops/prod/release/churn-ranker, first version: no record yet)",
        "    fraud-detector: version 1: image 444455556666.dkr.ecr.us-east-1.amazonaws.com/"
        "fraud-detector:1.5.0, model s3://acme-ml-models-prod/fraud-detector/1.5.0/model.tar.gz"
        " (/mlops/prod/release/fraud-detector, first version: no record yet)",
        "    fraud-scorer: version 1: image 444455556666.dkr.ecr.us-east-1.amazonaws.com/"
        "fraud-scorer:1.4.2, model s3://mlops-models-prod/fraud-scorer/1.4.2/"
        " (/mlops/prod/release/fraud-scorer, first version: no record yet)",
    ]
