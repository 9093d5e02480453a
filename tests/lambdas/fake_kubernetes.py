"""A Kubernetes API on 127.0.0.1 answering the two reads the verifier makes.

`GET /apis/argoproj.io/v1alpha1/namespaces/<ns>/rollouts/<name>` and
`GET /apis/apps/v1/namespaces/<ns>/replicasets?labelSelector=rollouts-pod-template-hash=<h>`,
in the shapes Argo Rollouts and the API server give them, so the official client parses real
JSON. The harness's simulated `pulumi up` deploys a release record to it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from kubernetes import client as k8s

from mlops_platform.lambdas.verify.kube import POD_TEMPLATE_HASH, RolloutReader


def template_hash(image: str) -> str:
    """A pod-template hash per image, as Argo derives one per template."""
    return hashlib.sha256(image.encode()).hexdigest()[:10]


class FakeKubernetes:
    """Rollouts and ReplicaSets by namespace, served over HTTP while the fake is open."""

    def __init__(self) -> None:
        self.rollouts: dict[tuple[str, str], dict[str, Any]] = {}
        self.replica_sets: dict[str, list[dict[str, Any]]] = {}
        self.busy: dict[tuple[str, str], list[dict[str, Any]]] = {}
        """Statuses each Rollout reports first, one per read, before its own."""
        self.authorizations: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.authorizations.append(self.headers.get("Authorization", ""))
                status, body = fake.answer(self.path)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """Where the API listens."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()

    def reader(self, bearer: str = "k8s-aws-v1.test") -> RolloutReader:
        """A reader over this API, through the official client, sending `bearer`."""
        config = k8s.Configuration(host=self.url)
        config.api_key = {"authorization": bearer}
        config.api_key_prefix = {"authorization": "Bearer"}
        return RolloutReader(k8s.ApiClient(config))

    def answer(self, path: str) -> tuple[int, Any]:
        """The status and body of one GET."""
        parsed = urlparse(path)
        parts = parsed.path.strip("/").split("/")
        if parts[:3] == ["apis", "argoproj.io", "v1alpha1"] and parts[5:6] == ["rollouts"]:
            key = (parts[4], parts[6])
            if key not in self.rollouts:
                return 404, {"kind": "Status", "code": 404, "reason": "NotFound"}
            rollout = dict(self.rollouts[key])
            if self.busy.get(key):
                rollout["status"] = self.busy[key].pop(0)
            return 200, rollout
        if parts[:3] == ["apis", "apps", "v1"] and parts[5:6] == ["replicasets"]:
            selector = parse_qs(parsed.query).get("labelSelector", [""])[0]
            label, _, value = selector.partition("=")
            items = [
                rs
                for rs in self.replica_sets.get(parts[4], [])
                if rs["metadata"]["labels"].get(label) == value
            ]
            return 200, {"kind": "ReplicaSetList", "apiVersion": "apps/v1", "items": items}
        return 404, {"kind": "Status", "code": 404}

    def serve(
        self,
        namespace: str,
        name: str,
        image: str,
        *,
        phase: str = "Healthy",
        stable_image: str | None = None,
        abort: bool = False,
        message: str = "",
        progressing_reads: int = 0,
    ) -> None:
        """Make the Rollout's current template run `image`, stable on `stable_image` (default
        the same), reporting `phase` after `progressing_reads` reads of `Progressing`."""
        stable = stable_image or image
        for each in {image, stable}:
            self._replica_set(namespace, name, each)
        generation = (
            self.rollouts.get((namespace, name), {}).get("metadata", {}).get("generation", 0) + 1
        )
        status = {
            "phase": phase,
            "abort": abort,
            "message": message,
            "stableRS": template_hash(stable),
            "currentPodHash": template_hash(image),
            "observedGeneration": str(generation),
        }
        self.rollouts[(namespace, name)] = {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Rollout",
            "metadata": {"name": name, "namespace": namespace, "generation": generation},
            "spec": {"template": {"spec": {"containers": [{"name": "model", "image": image}]}}},
            "status": status,
        }
        progressing = {**status, "phase": "Progressing", "message": "more replicas need updating"}
        self.busy[(namespace, name)] = [progressing] * progressing_reads

    def _replica_set(self, namespace: str, rollout: str, image: str) -> None:
        pod_hash = template_hash(image)
        sets = self.replica_sets.setdefault(namespace, [])
        if any(rs["metadata"]["labels"][POD_TEMPLATE_HASH] == pod_hash for rs in sets):
            return
        sets.append(
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "metadata": {
                    "name": f"{rollout}-{pod_hash}",
                    "namespace": namespace,
                    "labels": {POD_TEMPLATE_HASH: pod_hash},
                    "ownerReferences": [
                        {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
                         "name": rollout, "uid": "u-1", "controller": True}
                    ],
                },
                "spec": {
                    "selector": {"matchLabels": {POD_TEMPLATE_HASH: pod_hash}},
                    "template": {
                        "metadata": {"labels": {POD_TEMPLATE_HASH: pod_hash}},
                        "spec": {"containers": [{"name": "model", "image": image}]},
                    },
                },
            }
        )  # fmt: skip
