"""The kubeconfig the cluster's Kubernetes provider (and its operators) use."""

from __future__ import annotations

from typing import Any

import pulumi


def kubeconfig(
    cluster_name: pulumi.Input[str],
    endpoint: pulumi.Input[str],
    certificate_authority: pulumi.Input[str],
    region: pulumi.Input[str],
) -> pulumi.Output[str]:
    """A kubeconfig that authenticates with `aws eks get-token`: no token is ever stored.

    It signs with the caller's own credentials and never assumes a role: the serving layer
    runs in the deployer's build with the build's role, so an account's external id (which
    `aws eks get-token` cannot pass) is never needed.
    """
    command: list[pulumi.Input[str]] = [
        "eks",
        "get-token",
        "--cluster-name",
        cluster_name,
        "--region",
        region,
        "--output",
        "json",
    ]
    document: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": "eks",
                "cluster": {
                    "server": endpoint,
                    "certificate-authority-data": certificate_authority,
                },
            }
        ],
        "contexts": [{"name": "eks", "context": {"cluster": "eks", "user": "eks"}}],
        "current-context": "eks",
        "users": [
            {
                "name": "eks",
                "user": {
                    "exec": {
                        "apiVersion": "client.authentication.k8s.io/v1beta1",
                        "command": "aws",
                        "args": command,
                        "interactiveMode": "Never",
                    }
                },
            }
        ],
    }
    return pulumi.Output.json_dumps(document)
