"""Exported Kubernetes manifests: exactly what each stack registers, and schema-valid.

Built-in kinds are validated strictly against the Kubernetes OpenAPI schemas of the stack's
configured cluster version (kubernetes-validate ships them). Argo Rollouts and Prometheus Operator
custom resources are validated against the project's own strict schemas of the fields it uses,
and a Rollout's pod template against the Kubernetes PodTemplateSpec, through a Deployment that
wraps it. A Secret's data is masked in the export (`[secret]`) and checked without it.
"""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from mlops_platform.preview.manifests import write_manifests
from mlops_platform.preview.project import PulumiProject
from mlops_platform.preview.stack import Progress, StackPreview, preview_layers
from tests.conftest import PROJECT_ROOT

STACKS = ("dev", "staging", "prod")
CUSTOM_SCHEMAS: dict[str, dict[str, Any]] = {
    api: json.loads((PROJECT_ROOT / "tests" / "schemas" / file).read_text())["kinds"]
    for api, file in (("argoproj.io/v1alpha1", "argo-rollouts-v1alpha1.json"),
                      ("monitoring.coreos.com/v1", "prometheus-operator-v1.json"))
}  # fmt: skip
"""The project's strict schemas of custom resources, by apiVersion."""
MASKED = "[secret]"
"""What the export writes for a secret value."""
PER_SERVICE = 11
"""Objects per model service: its 7, the Role and RoleBinding that let the promotion verifier's
group read its Rollout, and its dashboard and alert rules in the monitoring stack."""
PER_CLUSTER = 2
"""The monitoring namespace and Grafana's admin Secret."""


@pytest.fixture(scope="module")
def previews(tmp_path_factory: pytest.TempPathFactory) -> dict[str, StackPreview]:
    out = tmp_path_factory.mktemp("plan")
    project = PulumiProject.load(PROJECT_ROOT)
    layers = {
        stack: preview_layers(project, stack, out, Progress(io.StringIO())) for stack in STACKS
    }
    for platform, serving in layers.values():
        VERSIONS[serving.stack] = platform.registry.one("aws:eks/cluster:Cluster").inputs["version"]
    return {stack: serving for stack, (_, serving) in layers.items()}  # the Kubernetes objects


VERSIONS: dict[str, str] = {}
"""Each serving layer's cluster version, from its platform layer's plan."""


def cluster_version(preview: StackPreview) -> str:
    return f"{VERSIONS[preview.stack]}.0"


def documents(preview: StackPreview) -> list[tuple[Path, dict[str, Any]]]:
    return [(path, yaml.safe_load(path.read_text())) for path in preview.manifests]


def validate_builtin(document: dict[str, Any], version: str) -> None:
    if document["kind"] == "Secret" and document.get("stringData") == MASKED:
        document = {**document, "stringData": {}}
    kubernetes_validate.validate(document, version, strict=True)


def validate_custom(document: dict[str, Any], version: str) -> None:
    schema = CUSTOM_SCHEMAS[document["apiVersion"]][document["kind"]]
    jsonschema.Draft202012Validator(schema).validate(document)
    if document["kind"] == "Rollout":
        wrapper = {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": document["metadata"],
            "spec": {
                "selector": document["spec"]["selector"],
                "template": document["spec"]["template"],
            },
        }
        kubernetes_validate.validate(wrapper, version, strict=True)


@pytest.mark.parametrize("stack", STACKS)
def test_every_kubernetes_object_is_exported_as_registered(
    previews: dict[str, StackPreview], stack: str
) -> None:
    preview = previews[stack]
    registered = [
        r for r in preview.registry if r.type.startswith("kubernetes:") and "kind" in r.inputs
    ]
    exported = documents(preview)
    services = len(preview.registry.all("mlops:eks:ModelService"))
    assert len(exported) == len(registered) == PER_SERVICE * services + PER_CLUSTER
    assert sorted(json.dumps(d, sort_keys=True) for _, d in exported) == sorted(
        json.dumps(r.inputs, sort_keys=True) for r in registered
    )
    k8s_dir = preview.plan_path.parent / f"{stack}-serving" / "k8s"
    assert all(path.is_relative_to(k8s_dir) for path, _ in exported)


@pytest.mark.parametrize("stack", STACKS)
def test_every_object_passes_strict_schema_validation(
    previews: dict[str, StackPreview], stack: str
) -> None:
    preview = previews[stack]
    version = cluster_version(preview)
    kinds = set()
    for _, document in documents(preview):
        if document["apiVersion"] in CUSTOM_SCHEMAS:
            validate_custom(document, version)
        else:
            validate_builtin(document, version)  # raises SchemaNotFoundError for unknown kinds
        kinds.add(document["kind"])
    assert kinds == {
        "Namespace", "ServiceAccount", "Service", "HorizontalPodAutoscaler",
        "PodDisruptionBudget", "Rollout", "AnalysisTemplate", "ConfigMap", "Secret",
        "PrometheusRule", "Role", "RoleBinding",
    }  # fmt: skip


def test_the_kubernetes_validate_command_passes_every_builtin_object(
    previews: dict[str, StackPreview],
) -> None:
    preview = previews["prod"]
    files = [
        str(p)
        for p, d in documents(preview)
        if d["apiVersion"] not in CUSTOM_SCHEMAS and d.get("stringData") != MASKED
    ]
    command = Path(sys.executable).parent / "kubernetes-validate"
    result = subprocess.run(
        [str(command), "--strict", "-k", cluster_version(preview), *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(" passed for resource ") == len(files) == 17


def test_the_schemas_reject_what_a_typo_would_produce(previews: dict[str, StackPreview]) -> None:
    preview = previews["dev"]
    version = cluster_version(preview)
    by_kind = {d["kind"]: d for _, d in documents(preview)}
    rollout = copy.deepcopy(by_kind["Rollout"])
    rollout["spec"]["strategy"]["canary"]["steps"][0] = {"setWieght": 50}
    with pytest.raises(jsonschema.ValidationError):
        validate_custom(rollout, version)
    rollout = copy.deepcopy(by_kind["Rollout"])
    rollout["spec"]["template"]["spec"]["containers"][0]["securityContex"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        validate_custom(rollout, version)
    hpa = copy.deepcopy(by_kind["HorizontalPodAutoscaler"])
    hpa["spec"]["minReplica"] = 1
    with pytest.raises(kubernetes_validate.ValidationError):
        validate_builtin(hpa, version)


def test_export_is_stable_and_replaces_stale_files(
    previews: dict[str, StackPreview], tmp_path: Path
) -> None:
    preview = previews["dev"]
    stale = tmp_path / "k8s" / "gone" / "service-gone.yaml"
    stale.parent.mkdir(parents=True)
    stale.write_text("kind: Service\n")
    first = {
        p.relative_to(tmp_path): p.read_bytes()
        for p in write_manifests(tmp_path / "k8s", preview.registry)
    }
    second = {
        p.relative_to(tmp_path): p.read_bytes()
        for p in write_manifests(tmp_path / "k8s", preview.registry)
    }
    assert first == second
    assert not stale.exists()
    assert Path("k8s/_cluster/namespace-fraud-scorer.yaml") in first
    assert first[Path("k8s/fraud-scorer/rollout-fraud-scorer.yaml")].startswith(
        b"apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n"
    )


@pytest.mark.parametrize(("path", "value"), [
    (("spec", "groups", 0, "rules", 0, "for"), "5 minutes"),
    (("spec", "groups", 0, "rules", 0, "severity"), "page"),
    (("spec", "groups", 0, "rules", 0, "alert"), "model service down"),
])  # fmt: skip
def test_the_rule_schema_refuses_what_the_operator_would(
    previews: dict[str, StackPreview], path: tuple[str | int, ...], value: str
) -> None:
    (_, rule), *_ = [
        (p, d) for p, d in documents(previews["prod"]) if d["kind"] == "PrometheusRule"
    ]
    broken = copy.deepcopy(rule)
    target: Any = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        validate_custom(broken, cluster_version(previews["prod"]))


def test_grafanas_password_is_never_written_out(previews: dict[str, StackPreview]) -> None:
    (secret,) = [d for _, d in documents(previews["prod"]) if d["kind"] == "Secret"]
    assert secret["stringData"] == MASKED
    assert secret["metadata"] == {"name": "grafana-admin", "namespace": "observability"}
