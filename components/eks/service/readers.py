"""Who may read a model service's Rollout from outside the cluster: RBAC as plain manifests.

EKS access policies cover only Kubernetes' built-in API groups, so an access entry with
`AmazonEKSViewPolicy` can read the service's ReplicaSets but not its Argo Rollout. The EKS way
to grant more is a Kubernetes group on the access entry, bound by RBAC: the promotion verifier's
entry carries `ROLLOUT_READERS`, and each service's namespace binds that group to `get` on
its Rollouts, nothing else.
"""

from __future__ import annotations

from mlops_platform.components.eks.service.args import ModelServiceArgs
from mlops_platform.components.eks.service.manifests import Manifest, metadata

ROLLOUT_READERS = "mlops:rollout-readers"
"""The Kubernetes group an access entry names to read the services' Rollouts."""
RBAC_API = "rbac.authorization.k8s.io"


def reader_name(args: ModelServiceArgs) -> str:
    """Name of the Role and the RoleBinding."""
    return f"{args.service_name}-rollout-reader"


def rollout_reader_role(args: ModelServiceArgs) -> Manifest:
    """`get` on the Rollouts of the service's namespace (the verifier reads one by name)."""
    return {
        "apiVersion": f"{RBAC_API}/v1",
        "kind": "Role",
        "metadata": metadata(args, reader_name(args)),
        "rules": [{"apiGroups": ["argoproj.io"], "resources": ["rollouts"], "verbs": ["get"]}],
    }


def rollout_reader_binding(args: ModelServiceArgs) -> Manifest:
    """The `ROLLOUT_READERS` group gets the Role, in this namespace only."""
    return {
        "apiVersion": f"{RBAC_API}/v1",
        "kind": "RoleBinding",
        "metadata": metadata(args, reader_name(args)),
        "roleRef": {"apiGroup": RBAC_API, "kind": "Role", "name": reader_name(args)},
        "subjects": [{"apiGroup": RBAC_API, "kind": "Group", "name": ROLLOUT_READERS}],
    }
