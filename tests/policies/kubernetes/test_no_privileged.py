from __future__ import annotations

from typing import Any

from mlops_platform.policies.kubernetes.no_privileged import POLICY
from tests.policies.harness import check_resource

DEPLOYMENT = "kubernetes:apps/v1:Deployment"


def deployment(spec: dict[str, Any], namespace: str = "ml") -> dict[str, Any]:
    return {"metadata": {"namespace": namespace}, "spec": {"template": {"spec": spec}}}


SERVE = {"containers": [{"name": "serve", "image": "img"}]}


def test_an_ordinary_workload_passes() -> None:
    assert check_resource(POLICY, DEPLOYMENT, deployment(SERVE)) == []


def test_a_privileged_container() -> None:
    spec = {"containers": [{"name": "serve", "securityContext": {"privileged": True}}]}
    assert check_resource(POLICY, DEPLOYMENT, deployment(spec)) == [
        "container 'serve' runs privileged; remove privileged"
    ]


def test_host_network() -> None:
    assert check_resource(POLICY, DEPLOYMENT, deployment({**SERVE, "hostNetwork": True})) == [
        "the pod shares the host's namespace (hostNetwork); remove it"
    ]


def test_system_namespaces_may_be_privileged() -> None:
    spec = {"containers": [{"name": "agent", "securityContext": {"privileged": True}}]}
    assert check_resource(POLICY, DEPLOYMENT, deployment(spec, "kube-system")) == []
    config = {"allowedNamespaces": ["gpu-operator"]}
    assert check_resource(POLICY, DEPLOYMENT, deployment(spec, "gpu-operator"), config=config) == []


def test_cron_job_pod_specs_are_found() -> None:
    spec = {"containers": [{"name": "batch", "securityContext": {"privileged": True}}]}
    props = {"spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
    assert check_resource(POLICY, "kubernetes:batch/v1:CronJob", props) == [
        "container 'batch' runs privileged; remove privileged"
    ]
