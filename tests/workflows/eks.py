"""The harness's EKS target: the simulated deploys of a model service's Rollout."""

from __future__ import annotations

from typing import Any

from mlops_platform.lambdas.common.release import ReleaseRecord, write_release

from ..lambdas.fake_kubernetes import FakeKubernetes
from .records import EKS_TARGETS, ENV, SERVICE, pinned_image, service_release


class ServiceTargets:
    """What `World` does for an EKS target: its Rollout lives in a fake Kubernetes API."""

    kubernetes: FakeKubernetes
    ssm: Any
    silent_rollback: bool
    router: Any

    def _is_forward(self, _record: ReleaseRecord) -> bool:
        """Whether this deploy moves forward: no restore (a rollback's write) has run yet."""
        return not any(
            n == "release" and e.get("action") == "restore" for n, e in self.router.calls
        )

    def _deploy_service(self, record: ReleaseRecord, *, forward: bool) -> None:
        """`pulumi up` of a service: a new pod template, Progressing for one read; with
        `silent_rollback`, Argo aborts the forward update and the stable version stays."""
        service = EKS_TARGETS[SERVICE]
        name = (service["namespace"], service["rollout"])
        if self.silent_rollback and forward and self._is_forward(record):
            self.kubernetes.serve(
                *name,
                pinned_image(record),
                phase="Degraded",
                abort=True,
                stable_image=self.stable_image(name[0]),
                message="RolloutAborted: analysis failed",
            )
            return
        self.kubernetes.serve(*name, pinned_image(record), progressing_reads=1)

    def serve_service(self, version: int) -> None:
        """Make `version` what the EKS target's Rollout serves now."""
        record = ReleaseRecord.parse(service_release(version))
        write_release(self.ssm, ENV, SERVICE, record)
        self.kubernetes.serve(SERVICE, SERVICE, pinned_image(record))

    def stable_image(self, name: str = SERVICE) -> str:
        """The image of the EKS target's stable ReplicaSet now."""
        stable = self.kubernetes.rollouts[(name, name)]["status"]["stableRS"]
        return next(
            str(rs["spec"]["template"]["spec"]["containers"][0]["image"])
            for rs in self.kubernetes.replica_sets[name]
            if rs["metadata"]["labels"]["rollouts-pod-template-hash"] == stable
        )
