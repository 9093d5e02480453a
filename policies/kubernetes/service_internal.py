"""Kubernetes Services stay inside the cluster: no LoadBalancer or NodePort for a model."""

from __future__ import annotations

from typing import Any

from pulumi_policy import ResourceValidationArgs, Severity
from pulumi_policy.proxy import UnknownValueError

from mlops_platform.policies.common.rule import (
    Report,
    ResourceRule,
    RuleInfo,
    Settings,
    string_list,
)
from mlops_platform.policies.common.values import dig

SERVICE = "kubernetes:core/v1:Service"
EXPOSING_TYPES = ("LoadBalancer", "NodePort")
"""Service types reachable from outside the cluster: a cloud load balancer, or every node."""

INFO = RuleInfo(
    name="kubernetes-service-cluster-internal",
    description=(
        "Kubernetes Services are of type ClusterIP (or ExternalName), outside the namespaces "
        "allowed to expose a load balancer."
    ),
    resource_types=(SERVICE,),
    severity=Severity.HIGH,
    remediation=(
        'Set spec.type to "ClusterIP"; expose a model through a reviewed ingress or gateway '
        "in an allowed namespace."
    ),
    params={
        "allowedNamespaces": string_list(
            "Namespaces whose Services may be LoadBalancer or NodePort (ingress controllers).", []
        )
    },
)


def _namespace(props: Any) -> str | None:
    """The Service's namespace; None when it comes from a namespace not created yet.

    A namespace this stack creates is not one of the allowed ingress namespaces until config
    says so by name, and such a Service's type is still visible: report it.
    """
    try:
        found = dig(props, "metadata", "namespace")
    except UnknownValueError:
        return None
    return found if isinstance(found, str) else "default"


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    kind = dig(args.props, "spec", "type")
    if kind not in EXPOSING_TYPES:
        return
    namespace = _namespace(args.props)
    if namespace is not None and namespace in settings["allowedNamespaces"]:
        return
    where = f"namespace {namespace!r}" if namespace else "its namespace"
    report(
        f"the Service is of type {kind}, reachable from outside the cluster, in {where}; "
        'set spec.type to "ClusterIP"'
    )


POLICY = ResourceRule(INFO, _check)
