"""The serving plane through the real program and stack files: dev against prod, bad config."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from infra.config import ConfigError, parse
from mlops_platform.preview.project import PulumiProject
from mlops_platform.preview.stack import Progress, StackPreview, preview_layers
from tests.conftest import PROJECT_ROOT

PROJECT = PulumiProject.load(PROJECT_ROOT)


@pytest.fixture(scope="module")
def previews(tmp_path_factory: pytest.TempPathFactory) -> dict[str, StackPreview]:
    """Dev and prod previewed once, each layer, with their committed config."""
    out = tmp_path_factory.mktemp("plan")
    layers = [
        layer
        for stack in ("dev", "prod")
        for layer in preview_layers(PROJECT, stack, out, Progress(io.StringIO()))
    ]
    return {layer.stack: layer for layer in layers}


def inputs(preview: StackPreview, type_: str, name: str) -> dict[str, Any]:
    return preview.registry.one(type_, name).inputs


def test_prod_shows_the_cluster_node_groups_software_and_each_service(
    previews: dict[str, StackPreview],
) -> None:
    registry = previews["prod"].registry
    cluster = registry.one("mlops:eks:GpuCluster", "prod-cluster")
    names = {r.name for r in registry.descendants_of(cluster)}
    assert {"prod-cluster-gpu-a10g", "prod-cluster-gpu-l4", "prod-cluster-system-nodes"} <= names
    # The platform layer never talks to Kubernetes; the serving layer holds all of it.
    assert [r for r in registry if r.type.startswith(("kubernetes:", "pulumi:providers:kub"))] == []
    serving = previews["prod-serving"].registry
    assert len(serving.all("kubernetes:helm.sh/v3:Release")) == 8
    services = {r.name for r in serving.all("mlops:eks:ModelService")}
    assert services == {"prod-serving-fraud-scorer", "prod-serving-churn-ranker"}


def test_every_serving_plan_shows_the_monitoring_stack_on_the_platforms_topic(
    previews: dict[str, StackPreview],
) -> None:
    for stack in ("dev", "prod"):
        serving = previews[f"{stack}-serving"].registry
        monitoring = serving.one("mlops:eks:ClusterMonitoring", f"{stack}-serving-monitoring")
        charts = {
            r.inputs["chart"]: r.inputs["version"]
            for r in serving.descendants_of(monitoring)
            if r.type.endswith(":Release")
        }
        assert charts == {"kube-prometheus-stack": "89.0.0", "dcgm-exporter": "4.1.1"}
        topic = previews[stack].registry.one("aws:sns/topic:Topic", f"{stack}-observability-alerts")
        publish = serving.one(
            "aws:iam/rolePolicy:RolePolicy", f"{stack}-serving-monitoring-alertmanager-publish"
        )
        resources = [s["Resource"] for s in json.loads(publish.inputs["policy"])["Statement"]]
        assert resources == [topic.state["arn"], topic.inputs["kmsMasterKeyId"]]
        rules = serving.all("kubernetes:monitoring.coreos.com/v1:PrometheusRule")
        assert len(rules) == len(serving.all("mlops:eks:ModelService"))


def test_prod_api_is_private_and_dev_is_public_from_listed_networks(
    previews: dict[str, StackPreview],
) -> None:
    prod = inputs(previews["prod"], "aws:eks/cluster:Cluster", "prod-cluster-cluster")
    dev = inputs(previews["dev"], "aws:eks/cluster:Cluster", "dev-cluster-cluster")
    assert prod["vpcConfig"]["endpointPublicAccess"] is False
    assert "publicAccessCidrs" not in prod["vpcConfig"]
    assert dev["vpcConfig"]["endpointPublicAccess"] is True
    assert dev["vpcConfig"]["publicAccessCidrs"] == ["203.0.113.0/24"]
    assert prod["deletionProtection"] is True
    assert dev["deletionProtection"] is False


def test_prod_gpus_are_on_demand_and_dev_gpus_are_spot_scaling_to_zero(
    previews: dict[str, StackPreview],
) -> None:
    prod = inputs(previews["prod"], "aws:eks/nodeGroup:NodeGroup", "prod-cluster-gpu-a10g")
    dev = inputs(previews["dev"], "aws:eks/nodeGroup:NodeGroup", "dev-cluster-gpu-a10g")
    assert (prod["capacityType"], prod["scalingConfig"]["minSize"]) == ("ON_DEMAND", 2)
    assert (dev["capacityType"], dev["scalingConfig"]["minSize"]) == ("SPOT", 0)


def test_prod_services_keep_two_replicas_and_analyse_every_canary(
    previews: dict[str, StackPreview],
) -> None:
    registry = previews["prod"].registry
    for hpa in registry.all("kubernetes:autoscaling/v2:HorizontalPodAutoscaler"):
        assert hpa.inputs["spec"]["minReplicas"] >= 2
    for rollout in registry.all("kubernetes:argoproj.io/v1alpha1:Rollout"):
        steps = rollout.inputs["spec"]["strategy"]["canary"]["steps"]
        assert any("analysis" in step for step in steps)


def test_the_serving_layer_signs_with_its_own_credentials_in_the_stacks_account(
    previews: dict[str, StackPreview],
) -> None:
    registry = previews["prod-serving"].registry
    account = registry.one("pulumi:providers:aws", "prod-serving-account")
    assert "assumeRoles" not in account.inputs  # no role, so no external id is ever needed
    assert json.loads(account.inputs["allowedAccountIds"]) == ["444455556666"]
    kubernetes = registry.one("pulumi:providers:kubernetes")
    for service in registry.all("mlops:eks:ModelService"):
        for child in registry.descendants_of(service):
            expected = account if child.type.startswith("aws:") else kubernetes
            assert child.provider == expected.urn, child.name
    exec_args = json.loads(kubernetes.inputs["kubeconfig"])["users"][0]["user"]["exec"]["args"]
    assert "--role-arn" not in exec_args


def test_the_serving_layer_reads_the_platform_clusters_outputs(
    previews: dict[str, StackPreview],
) -> None:
    eks = previews["prod"].registry.one("aws:eks/cluster:Cluster")
    serving = previews["prod-serving"].registry
    config = json.loads(serving.one("pulumi:providers:kubernetes").inputs["kubeconfig"])
    assert config["clusters"][0]["cluster"]["server"] == eks.state["endpoint"]
    assert config["users"][0]["user"]["exec"]["args"][3] == eks.inputs["name"]


def stack_values(stack: str, **changes: Any) -> dict[str, str]:
    """A stack file's `mlops:` values as the engine passes them, with `changes` applied."""
    config = yaml.safe_load((PROJECT_ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]
    values = {k.removeprefix("mlops:"): v for k, v in config.items() if k.startswith("mlops:")}
    values.update(changes)
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}


def prod_service(**changes: Any) -> list[dict[str, Any]]:
    base = stack_values("prod")
    services: list[dict[str, Any]] = json.loads(base["services"])
    services[0] = {**services[0], **changes}
    return services


def prod_cluster(**changes: Any) -> dict[str, Any]:
    cluster: dict[str, Any] = json.loads(stack_values("prod")["cluster"])
    return {**cluster, **changes}


@pytest.mark.parametrize(
    ("stack", "changes", "messages"),
    [
        ("prod", {"services": prod_service(autoscaling={"minReplicas": 1, "maxReplicas": 4})},
         ["mlops:services[0].autoscaling.minReplicas = 1: prod needs at least 2, so a pod's "
          "loss or a node drain never stops serving"]),
        ("prod", {"services": prod_service(autoscaling={"minReplicas": 5, "maxReplicas": 4})},
         ["mlops:services[0].autoscaling.minReplicas = 5: above the maximum replicas 4; the "
          "minimum may not exceed it"]),
        ("prod", {"services": prod_service(disruption={"maxUnavailable": 0})},
         ["mlops:services[0].disruption.maxUnavailable = 0: at least 1; with 0 no pod can be "
          "evicted, so no node could ever drain"]),
        ("prod", {"services": prod_service(canarySteps=[{"setWeight": 50}, {"setWeight": 40}])},
         ["mlops:services[0].canarySteps[1].setWeight = 40: not above the previous weight 50 "
          "(step 0); weights must increase"]),
        ("prod", {"services": prod_service(canarySteps=[{"setWeight": 50}])},
         ["mlops:services[0].canarySteps = [{'setWeight': 50}]: prod needs an analysis step, "
          "so a failing canary rolls back by itself"]),
        ("prod", {"services": prod_service(canarySteps=[{"setWeight": 101}])},
         ["mlops:services[0].canarySteps[0].setWeight = 101: a percentage from 0 to 100"]),
        ("prod", {"services": prod_service(accelerator="nvidia-h100")},
         ["mlops:services[0].accelerator = 'nvidia-h100': no GPU node group provides it; the "
          "groups provide nvidia-a10g, nvidia-l4"]),
        ("prod", {"cluster": prod_cluster(endpointPublicAccess=True,
                                          publicAccessCidrs=["0.0.0.0/0"])},
         ["mlops:cluster.publicAccessCidrs = ['0.0.0.0/0']: together these admit the whole "
          "internet (0.0.0.0/0); list only the networks that reach the API"]),
        ("prod", {"cluster": prod_cluster(endpointPublicAccess=True,
                                          publicAccessCidrs=["203.0.113.0/24"])},
         ["mlops:cluster.endpointPublicAccess = True: the pack (aws-eks-cluster-private-endpoint) "
          "forbids a public API endpoint in prod; reach the API from the VPC or its peers"]),
        ("prod", {"cluster": prod_cluster(kubernetesVersion="1.31")},
         ["mlops:cluster.kubernetesVersion = '1.31': the pack (aws-eks-cluster-supported-version) "
          "demands one of 1.32, 1.33, 1.34 in prod; use 1.32 or 1.33"]),
        ("prod", {"cluster": prod_cluster(kubernetesVersion="1.29")},
         ["mlops:cluster.kubernetesVersion = '1.29': the platform supports 1.31, 1.32, 1.33"]),
        ("prod", {"cluster": prod_cluster(kubernetesVersion=1.3)},
         ['mlops:cluster.kubernetesVersion = 1.3: quote the version ("1.30"); YAML reads 1.30 '
          "as the number 1.3"]),
        ("prod", {"cluster": prod_cluster(gpuNodeGroups=[
            {"name": "a10g", "instanceTypes": ["g5.xlarge"], "minSize": 2, "maxSize": 4,
             "capacityType": "SPOT"},
            {"name": "l4", "instanceTypes": ["m5.large"], "minSize": 0, "maxSize": 1,
             "taints": []}])},
         ["mlops:cluster.gpuNodeGroups[1].instanceTypes[0] = 'm5.large': not a GPU instance "
          "type; GPU groups take the families g4dn, g5, g6, gr6, g6e, p4d, p4de, p5, p5e, p5en",
          "mlops:cluster.gpuNodeGroups[1].taints = []: a GPU group needs the taint "
          "nvidia.com/gpu=true:NoSchedule, so only pods that ask for GPUs land on its nodes"]),
        ("prod", {"cluster": prod_cluster(gpuNodeGroups=[
            {"name": "a10g", "instanceTypes": ["g5.xlarge"], "minSize": 2, "maxSize": 4,
             "capacityType": "SPOT"}]), "services": prod_service()[:1]},
         ["mlops:cluster.gpuNodeGroups[0].capacityType = 'SPOT': prod serves from ON_DEMAND "
          "nodes; spot nodes can be reclaimed mid-request"]),
        ("dev", {"cluster": {**json.loads(stack_values("dev")["cluster"]), "gpuNodeGroups": [
            {"name": "a10g", "instanceTypes": ["g5.xlarge"], "minSize": 1, "maxSize": 2}]}},
         ["mlops:cluster.gpuNodeGroups[0].minSize = 1: dev keeps GPU groups at 0 nodes when "
          "idle, so they cost nothing; set 0"]),
        ("dev", {"cluster": {**json.loads(stack_values("dev")["cluster"]), "gpuNodeGroups": [
            {"name": "a10g", "instanceTypes": ["g5.xlarge"], "minSize": 0, "desiredSize": 3,
             "maxSize": 2}]}},
         ["mlops:cluster.gpuNodeGroups[0].desiredSize = 3: above the maximum size 2; the "
          "sizes must read minimum <= desired <= maximum"]),
        ("dev", {"services": [{"serviceName": "x", "image": "r/x:1", "modelUri": "s3://models/x/",
                               "accelerator": "nvidia-a10g", "gpu": 1}]},
         ["mlops:services[0].gpu = 1: unknown key; allowed keys: accelerator, analysis, "
          "artifactKmsKeyArn, autoscaling, canarySteps, commit, cpu, disruption, env, gpus, "
          "image, imageDigest, livenessPath, memory, modelUri, port, readinessPath, release, "
          "serviceName, startupTimeoutSeconds"]),
        ("dev", {"services": [{"serviceName": "x", "image": "r/x:1", "modelUri": "s3://models/x/",
                               "accelerator": "nvidia-a10g", "release": "managed",
                               "commit": "HEAD"}]},
         ["mlops:services[0].imageDigest = None: a managed first version needs its image's "
          "digest, sha256:<64 hex>",
          "mlops:services[0].commit = 'HEAD': a managed first version needs its git commit, "
          "7-40 hex characters"]),
        ("dev", {"services": [{"serviceName": "x", "image": "r/x:1", "modelUri": "s3://models/x/",
                               "accelerator": "nvidia-a10g", "commit": "0a1b2c3"}]},
         ["mlops:services[0].commit = '0a1b2c3': only a release: managed entry seeds a release "
          "record"]),
    ],
)  # fmt: skip
def test_bad_serving_config_names_the_stack_key(
    stack: str, changes: dict[str, Any], messages: list[str]
) -> None:
    with pytest.raises(ConfigError) as raised:
        parse(stack_values(stack, **changes), region="us-east-1", stack=stack)
    assert [str(problem) for problem in raised.value.problems] == messages


def test_services_without_a_cluster_are_rejected() -> None:
    values = stack_values("dev")
    del values["cluster"]
    with pytest.raises(ConfigError) as raised:
        parse(values, region="us-east-1", stack="dev")
    assert [str(p) for p in raised.value.problems] == [
        "mlops:cluster = (missing): required by mlops:services"
    ]


def test_a_stack_without_serving_keys_still_parses() -> None:
    values = stack_values("dev")
    del values["cluster"], values["services"]
    config = parse(values, region="us-east-1", stack="dev")
    assert (config.cluster, config.services) == (None, ())


def test_committed_stacks_parse_to_their_serving_plane() -> None:
    prod = parse(stack_values("prod"), region="us-east-1", stack="prod")
    assert prod.cluster is not None
    assert [g.name for g in prod.cluster.gpu_node_groups] == ["a10g", "l4"]
    assert [s.service_name for s in prod.services] == ["fraud-scorer", "churn-ranker"]
    assert prod.services[1].disruption.min_available == 1
    assert prod.services[1].disruption.max_unavailable is None
    assert Path(PROJECT_ROOT / "Pulumi.staging.yaml").is_file()
    staging = parse(stack_values("staging"), region="us-east-1", stack="staging")
    assert staging.cluster is not None
    assert staging.cluster.endpoint_public_access is False
