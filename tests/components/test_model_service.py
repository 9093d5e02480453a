"""The ModelService component: its exact children, pod security, IAM scope and bad input."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pulumi_kubernetes as kubernetes
import pytest

from mlops_platform.components import (
    AnalysisSpec,
    ArgsError,
    CanaryStep,
    ClusterAccess,
    DisruptionSpec,
    ModelService,
    ModelServiceArgs,
    ServiceAutoscalingSpec,
)
from mlops_platform.components.eks.service.readers import ROLLOUT_READERS
from mlops_platform.testing import Registration, Registry
from tests.conftest import RunProgram, policy, statement

ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/ABC123"
OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123"
BASE: dict[str, Any] = {
    "service_name": "fraud",
    "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:1.4.2",
    "model_uri": "s3://models/fraud/1.4.2/",
    "accelerator": "nvidia-a10g",
}


def service(run: RunProgram, **overrides: Any) -> Registry:
    def program() -> None:
        provider = kubernetes.Provider("k8s", kubeconfig="{}")
        access = ClusterAccess(
            oidc_provider_arn=OIDC_ARN, oidc_issuer_url=ISSUER, provider=provider
        )
        ModelService("svc", ModelServiceArgs(**{**BASE, **overrides}), access)

    return run(program)


def manifest(registry: Registry, type_: str) -> dict[str, Any]:
    found: Registration = registry.one(type_)
    return found.inputs


def pod_spec(registry: Registry) -> dict[str, Any]:
    spec: dict[str, Any] = manifest(registry, "kubernetes:argoproj.io/v1alpha1:Rollout")["spec"]
    return spec["template"]["spec"]  # type: ignore[no-any-return]


def test_a_service_makes_exactly_these_children(run: RunProgram) -> None:
    registry = service(run)
    component = registry.one("mlops:eks:ModelService", "svc")
    children = registry.children_of(component)
    assert Counter(child.type for child in children) == {
        "aws:iam/role:Role": 1,
        "aws:iam/rolePolicy:RolePolicy": 1,
        "kubernetes:core/v1:Namespace": 1,
        "kubernetes:core/v1:ServiceAccount": 1,
        "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate": 1,
        "kubernetes:argoproj.io/v1alpha1:Rollout": 1,
        "kubernetes:core/v1:Service": 1,
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": 1,
        "kubernetes:policy/v1:PodDisruptionBudget": 1,
        "kubernetes:rbac.authorization.k8s.io/v1:Role": 1,
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": 1,
    }
    assert {c.name for c in children} == {
        "svc-role", "svc-read-model", "svc-namespace", "svc-service-account", "svc-analysis",
        "svc-rollout", "svc-service", "svc-hpa", "svc-pdb", "svc-rollout-reader",
        "svc-rollout-readers",
    }  # fmt: skip
    provider = registry.one("pulumi:providers:kubernetes")
    assert {c.provider for c in children if c.type.startswith("kubernetes:")} == {provider.urn}


def test_the_namespace_enforces_the_restricted_pod_security_standard(run: RunProgram) -> None:
    labels = manifest(service(run), "kubernetes:core/v1:Namespace")["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


def test_pods_run_non_root_read_only_without_capabilities(run: RunProgram) -> None:
    spec = pod_spec(service(run))
    assert spec["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "runAsGroup": 10001,
        "fsGroup": 10001,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert spec["automountServiceAccountToken"] is False
    (model,) = spec["containers"]
    assert model["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
    }


def test_pods_ask_for_gpus_and_land_only_on_nodes_of_their_gpu_model(run: RunProgram) -> None:
    spec = pod_spec(service(run, gpus=2, cpu="4", memory="16Gi"))
    (model,) = spec["containers"]
    assert model["resources"] == {
        "requests": {"cpu": "4", "memory": "16Gi", "nvidia.com/gpu": "2"},
        "limits": {"memory": "16Gi", "nvidia.com/gpu": "2"},
    }
    assert spec["nodeSelector"] == {"k8s.amazonaws.com/accelerator": "nvidia-a10g"}
    assert spec["tolerations"] == [
        {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
    ]
    (spread,) = spec["topologySpreadConstraints"]
    assert spread["topologyKey"] == "topology.kubernetes.io/zone"
    assert spread["labelSelector"] == {"matchLabels": {"app.kubernetes.io/name": "fraud"}}


def test_every_container_has_requests_and_all_three_probes(run: RunProgram) -> None:
    spec = pod_spec(service(run, startup_timeout_seconds=900))
    for container in spec["containers"] + spec.get("initContainers", []):
        assert container["resources"]["requests"]
    (model,) = spec["containers"]
    assert model["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
    assert model["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert model["startupProbe"]["failureThreshold"] * model["startupProbe"]["periodSeconds"] == 900


def test_rollout_canary_steps_analysis_and_autoscaled_replicas(run: RunProgram) -> None:
    steps = [CanaryStep(set_weight=20), CanaryStep(pause_seconds=0), CanaryStep(analysis=True)]
    rollout = manifest(service(run, canary_steps=steps), "kubernetes:argoproj.io/v1alpha1:Rollout")
    assert "replicas" not in rollout["spec"]  # the HPA owns the count
    assert rollout["spec"]["strategy"]["canary"]["steps"] == [
        {"setWeight": 20},
        {"pause": {}},
        {
            "analysis": {
                "templates": [{"templateName": "fraud-canary"}],
                "args": [{"name": "canary-hash", "valueFrom": {"podTemplateHashValue": "Latest"}}],
            }
        },
    ]


def test_analysis_fails_on_low_success_rate_or_high_latency_of_the_canary(
    run: RunProgram,
) -> None:
    analysis = AnalysisSpec(min_success_rate=0.995, max_p95_latency_seconds=0.25, count=3)
    template = manifest(
        service(run, analysis=analysis), "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate"
    )
    assert template["metadata"]["name"] == "fraud-canary"
    success, latency = template["spec"]["metrics"]
    assert success["failureCondition"] == "result[0] < 0.995"
    assert latency["failureCondition"] == "result[0] > 0.25"
    assert success["count"] == 3
    scope = 'namespace="fraud",rollouts_pod_template_hash="{{args.canary-hash}}"'
    assert scope in success["provider"]["prometheus"]["query"]
    assert 'code!~"5.."' in success["provider"]["prometheus"]["query"]
    assert latency["provider"]["prometheus"]["query"].startswith("histogram_quantile(0.95,")


def test_hpa_scales_the_rollout_on_cpu_and_requests_and_scales_down_slowly(
    run: RunProgram,
) -> None:
    scaling = ServiceAutoscalingSpec(min_replicas=2, max_replicas=6, target_requests_per_second=2.5)
    hpa = manifest(
        service(run, autoscaling=scaling), "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"
    )["spec"]
    assert hpa["scaleTargetRef"] == {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "name": "fraud",
    }
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (2, 6)
    cpu, requests = hpa["metrics"]
    assert cpu["resource"]["target"] == {"type": "Utilization", "averageUtilization": 70}
    assert requests["pods"] == {
        "metric": {"name": "http_requests_per_second"},
        "target": {"type": "AverageValue", "averageValue": "2500m"},
    }
    assert hpa["behavior"]["scaleDown"]["stabilizationWindowSeconds"] == 300


@pytest.mark.parametrize(
    ("disruption", "limit"),
    [
        (DisruptionSpec(), {"maxUnavailable": 1}),
        (DisruptionSpec(max_unavailable=None, min_available=1), {"minAvailable": 1}),
    ],
)
def test_pdb_keeps_capacity_but_lets_drains_evict_unhealthy_pods(
    run: RunProgram, disruption: DisruptionSpec, limit: dict[str, int]
) -> None:
    registry = service(
        run,
        disruption=disruption,
        autoscaling=ServiceAutoscalingSpec(min_replicas=2, max_replicas=4),
    )
    pdb = manifest(registry, "kubernetes:policy/v1:PodDisruptionBudget")["spec"]
    assert pdb == {
        "selector": {"matchLabels": {"app.kubernetes.io/name": "fraud"}},
        **limit,
        "unhealthyPodEvictionPolicy": "AlwaysAllow",
    }


def test_role_trusts_only_the_services_account_and_reads_only_its_prefix(
    run: RunProgram,
) -> None:
    registry = service(run)
    role = registry.one("aws:iam/role:Role")
    host = ISSUER.removeprefix("https://")
    (trust,) = policy(role, "assumeRolePolicy")["Statement"]
    assert trust["Principal"] == {"Federated": OIDC_ARN}
    assert trust["Condition"] == {
        "StringEquals": {
            f"{host}:sub": "system:serviceaccount:fraud:fraud",
            f"{host}:aud": "sts.amazonaws.com",
        }
    }
    read = policy(registry.one("aws:iam/rolePolicy:RolePolicy"))
    assert statement(read, "ReadModelArtifacts")["Resource"] == "arn:aws:s3:::models/fraud/1.4.2/*"
    assert statement(read, "ListModelPrefix")["Condition"] == {
        "StringLike": {"s3:prefix": ["fraud/1.4.2", "fraud/1.4.2/*"]}
    }
    assert len(read["Statement"]) == 2
    account = manifest(registry, "kubernetes:core/v1:ServiceAccount")
    assert account["metadata"]["annotations"] == {"eks.amazonaws.com/role-arn": role.state["arn"]}


def test_an_encrypted_model_bucket_is_decrypted_through_s3_only(run: RunProgram) -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/abc"
    read = policy(service(run, artifact_kms_key_arn=key).one("aws:iam/rolePolicy:RolePolicy"))
    assert statement(read, "DecryptModelArtifactsThroughS3") == {
        "Sid": "DecryptModelArtifactsThroughS3",
        "Effect": "Allow",
        "Action": "kms:Decrypt",
        "Resource": key,
        "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
    }


def test_objects_wait_for_the_namespace_and_the_callers_dependencies(run: RunProgram) -> None:
    def program() -> None:
        provider = kubernetes.Provider("k8s", kubeconfig="{}")
        crds = kubernetes.helm.v3.Release("crds", chart="argo-rollouts", version="2.40.1")
        cluster = ClusterAccess(
            oidc_provider_arn=OIDC_ARN, oidc_issuer_url=ISSUER, provider=provider, software=[crds]
        )
        ModelService("svc", ModelServiceArgs(**BASE), cluster)

    registry = run(program)
    crds = registry.one("kubernetes:helm.sh/v3:Release")
    namespace = registry.one("kubernetes:core/v1:Namespace")
    assert crds.urn in namespace.dependencies
    rollout = registry.one("kubernetes:argoproj.io/v1alpha1:Rollout")
    template = registry.one("kubernetes:argoproj.io/v1alpha1:AnalysisTemplate")
    assert template.urn in rollout.dependencies


def test_outputs_are_registered(run: RunProgram) -> None:
    registry = service(run)
    outputs = registry.outputs(registry.one("mlops:eks:ModelService"))
    assert outputs == {
        "namespace": "fraud",
        "rollout_name": "fraud",
        "service_url": "http://fraud.fraud.svc.cluster.local",
        "role_arn": registry.one("aws:iam/role:Role").state["arn"],
    }


@pytest.mark.parametrize(
    ("overrides", "messages"),
    [
        ({"autoscaling": ServiceAutoscalingSpec(min_replicas=4, max_replicas=3)},
         ["autoscaling.min_replicas = 4: above the maximum replicas 3; the minimum may not "
          "exceed it"]),
        ({"autoscaling": ServiceAutoscalingSpec(min_replicas=0)},
         ["autoscaling.min_replicas = 0: at least 1"]),
        ({"disruption": DisruptionSpec(max_unavailable=0)},
         ["disruption.max_unavailable = 0: at least 1; with 0 no pod can be evicted, so no "
          "node could ever drain"]),
        ({"disruption": DisruptionSpec(max_unavailable=None, min_available=2),
          "autoscaling": ServiceAutoscalingSpec(min_replicas=2, max_replicas=4)},
         ["disruption.min_available = 2: not below the 2 replicas the autoscaler may scale "
          "down to (autoscaling.min_replicas); no pod could be evicted, so no node could ever "
          "drain"]),
        ({"disruption": DisruptionSpec(max_unavailable=1, min_available=1)},
         ["disruption = {'max_unavailable': 1, 'min_available': 1}: set exactly one of "
          "max_unavailable and min_available"]),
        ({"canary_steps": [CanaryStep(set_weight=120)]},
         ["canary_steps[0].set_weight = 120: a percentage from 0 to 100"]),
        ({"canary_steps": [CanaryStep(set_weight=-5)]},
         ["canary_steps[0].set_weight = -5: a percentage from 0 to 100"]),
        ({"canary_steps": [CanaryStep(set_weight=50), CanaryStep(analysis=True),
                           CanaryStep(set_weight=20)]},
         ["canary_steps[2].set_weight = 20: not above the previous weight 50 (step 0); "
          "weights must increase"]),
        ({"image": "registry.example.com/fraud"},
         ["image = 'registry.example.com/fraud': pin a version tag or a digest; `latest` "
          "changes under a running rollout"]),
        ({"image": "registry.example.com/fraud:latest"},
         ["image = 'registry.example.com/fraud:latest': pin a version tag or a digest; "
          "`latest` changes under a running rollout"]),
        ({"model_uri": "s3://models/*"},
         ["model_uri = 's3://models/*': an S3 prefix such as s3://models/fraud-scorer/1.4.2/"]),
        ({"accelerator": "nvidia-v100"},
         ["accelerator = 'nvidia-v100': one of nvidia-a100, nvidia-a10g, nvidia-h100, "
          "nvidia-h200, nvidia-l4, nvidia-l40s, nvidia-t4"]),
        ({"port": 80}, ["port = 80: from 1024 to 65535; the server runs as a non-root user"]),
        ({"run_as_user": 0}, ["run_as_user = 0: a non-root user id, 1 or more"]),
        ({"service_name": "Fraud_Scorer"},
         ["service_name = 'Fraud_Scorer': 1-40 lower-case letters, digits or -, starting "
          "with a letter"]),
    ],
)  # fmt: skip
def test_bad_args_are_rejected_with_exact_messages(
    overrides: dict[str, Any], messages: list[str]
) -> None:
    with pytest.raises(ArgsError) as raised:
        ModelServiceArgs(**{**BASE, **overrides})
    assert [str(problem) for problem in raised.value.problems] == messages


def test_only_the_verifier_group_may_get_the_rollout_in_its_namespace(run: RunProgram) -> None:
    registry = service(run)
    role = manifest(registry, "kubernetes:rbac.authorization.k8s.io/v1:Role")
    binding = manifest(registry, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding")
    namespace = manifest(registry, "kubernetes:core/v1:Namespace")["metadata"]["name"]
    assert role["metadata"]["namespace"] == binding["metadata"]["namespace"] == namespace
    assert role["rules"] == [
        {"apiGroups": ["argoproj.io"], "resources": ["rollouts"], "verbs": ["get"]}
    ]
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role["metadata"]["name"]
    }  # fmt: skip
    assert binding["subjects"] == [
        {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": ROLLOUT_READERS}
    ]
    assert ROLLOUT_READERS == "mlops:rollout-readers"
