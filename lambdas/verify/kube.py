"""Reach an EKS cluster's API the way `aws eks get-token` does, and read an Argo Rollout.

The token is a presigned STS `GetCallerIdentity` URL that carries the `x-k8s-aws-id` header
(the cluster's name), signed by botocore's presigner with the function's own credentials,
base64url-encoded behind `k8s-aws-v1.`. The API endpoint and its CA come from
`eks:DescribeCluster`. The EKS access entry of the function's role decides what it may read.
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
from pathlib import Path
from typing import Any

from kubernetes import client as k8s

from .rollout import LiveRollout

CLUSTER_ID_HEADER = "x-k8s-aws-id"
"""The header EKS's authenticator reads the cluster name from."""
TOKEN_PREFIX = "k8s-aws-v1."
TOKEN_EXPIRES_SECONDS = 60
"""What `aws eks get-token` presigns for; EKS accepts such a token for 15 minutes."""
POD_TEMPLATE_HASH = "rollouts-pod-template-hash"
"""The label Argo Rollouts puts on each ReplicaSet it owns, valued with its template hash."""
ARGO = ("argoproj.io", "v1alpha1", "rollouts")
REQUEST_TIMEOUT_SECONDS = 10
"""Per API call, so an unreachable API fails the check well inside the function's timeout."""


def token_client(session: Any, region: str) -> Any:
    """An STS client whose `GetCallerIdentity` presigns with the cluster-id header."""
    sts = session.client("sts", region_name=region)

    def keep_cluster(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if CLUSTER_ID_HEADER in params:
            context[CLUSTER_ID_HEADER] = params.pop(CLUSTER_ID_HEADER)

    def sign_cluster(request: Any, **_: Any) -> None:
        if CLUSTER_ID_HEADER in request.context:
            request.headers[CLUSTER_ID_HEADER] = request.context[CLUSTER_ID_HEADER]

    sts.meta.events.register("provide-client-params.sts.GetCallerIdentity", keep_cluster)
    sts.meta.events.register("before-sign.sts.GetCallerIdentity", sign_cluster)
    return sts


def token(sts: Any, cluster_name: str) -> str:
    """A bearer token for `cluster_name`, from a `token_client`."""
    url = sts.generate_presigned_url(
        "get_caller_identity",
        Params={CLUSTER_ID_HEADER: cluster_name},
        ExpiresIn=TOKEN_EXPIRES_SECONDS,
        HttpMethod="GET",
    )
    return TOKEN_PREFIX + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


def configuration(cluster: dict[str, Any], bearer: str) -> k8s.Configuration:
    """A client configuration for a described cluster: its endpoint, its CA, the token."""
    ca = base64.b64decode(cluster["certificateAuthority"]["data"])
    path = Path(tempfile.gettempdir()) / f"eks-ca-{hashlib.sha256(ca).hexdigest()[:16]}.crt"
    if not path.is_file():
        path.write_bytes(ca)
    config = k8s.Configuration(host=str(cluster["endpoint"]).rstrip("/"))
    config.api_key = {"authorization": bearer}
    config.api_key_prefix = {"authorization": "Bearer"}
    config.ssl_ca_cert = str(path)
    config.verify_ssl = True
    return config


def connect(eks: Any, sts: Any, cluster_name: str) -> k8s.ApiClient:
    """An API client of `cluster_name`, authenticated as the function's role."""
    cluster = eks.describe_cluster(name=cluster_name)["cluster"]
    return k8s.ApiClient(configuration(cluster, token(sts, cluster_name)))


class RolloutReader:
    """Reads a Rollout and its stable ReplicaSet through an API client."""

    def __init__(self, api: k8s.ApiClient) -> None:
        self._custom = k8s.CustomObjectsApi(api)
        self._apps = k8s.AppsV1Api(api)

    def read(self, namespace: str, name: str) -> LiveRollout:
        """The Rollout `namespace/name` as it runs now."""
        group, version, plural = ARGO
        rollout = self._custom.get_namespaced_custom_object(group, version, namespace, plural, name)
        status = rollout.get("status") or {}
        stable = str(status.get("stableRS") or "")
        observed = str(status.get("observedGeneration") or "")
        generation = str((rollout.get("metadata") or {}).get("generation") or "")
        return LiveRollout(
            name=f"{namespace}/{name}",
            phase=str(status.get("phase") or ""),
            aborted=bool(status.get("abort")),
            message=str(status.get("message") or ""),
            stable_hash=stable,
            current_hash=str(status.get("currentPodHash") or ""),
            # Older controllers wrote a hash here, not the generation: only a number compares.
            observed=not observed.isdigit() or observed == generation,
            stable_images=self._images(namespace, name, stable) if stable else (),
        )

    def _images(self, namespace: str, rollout: str, stable: str) -> tuple[str, ...]:
        replica_sets = self._apps.list_namespaced_replica_set(
            namespace,
            label_selector=f"{POD_TEMPLATE_HASH}={stable}",
            _request_timeout=REQUEST_TIMEOUT_SECONDS,
        ).items
        for replica_set in replica_sets:
            owners = replica_set.metadata.owner_references or []
            if any(o.kind == "Rollout" and o.name == rollout for o in owners):
                return tuple(c.image for c in replica_set.spec.template.spec.containers)
        return ()
