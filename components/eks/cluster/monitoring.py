"""The monitoring stack of a serving cluster: Prometheus, Alertmanager to SNS, Grafana, DCGM.

Values and manifests are the pure ones of `observability.monitoring_stack` and
`observability.grafana`; this module turns them into Helm releases and Kubernetes objects on
the cluster, and gives Alertmanager an IRSA role that may only publish to the alerting topic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as kubernetes
import pulumi_random as random

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children, register_outputs
from mlops_platform.components.core.errors import raise_if_any
from mlops_platform.components.eks import _irsa
from mlops_platform.components.eks.cluster.access import ClusterAccess
from mlops_platform.components.eks.cluster.node_groups import (
    ACCELERATOR_LABEL,
    NodeGroupSpec,
    Taint,
    node_taints,
)
from mlops_platform.components.eks.names import IAM_ROLE_LIMIT, auto_named, check_length
from mlops_platform.components.eks.service._objects import create_object, depends_on_of
from mlops_platform.components.observability import monitoring_stack as _stack
from mlops_platform.components.observability.dashboards import ServiceTarget
from mlops_platform.components.observability.grafana import (
    KUBE_PROMETHEUS_STACK,
    ChartPin,
    prometheus_rules,
)

OUTPUTS = ("grafana_url", "grafana_admin_secret", "alertmanager_role_arn")
"""The outputs every instance registers, by attribute name."""
_EFFECTS = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute",
            "PREFER_NO_SCHEDULE": "PreferNoSchedule"}  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class ClusterMonitoringArgs:
    """What the monitoring stack watches and where its alerts go."""

    topic_arn: pulumi.Input[str]
    """The environment's (KMS-encrypted) alerting topic, which Alertmanager publishes to."""
    topic_key_arn: pulumi.Input[str]
    """The topic's KMS key; Alertmanager's role may generate data keys with it."""
    gpu_node_groups: Sequence[NodeGroupSpec]
    """The cluster's GPU groups: the DCGM exporter runs there, tolerating their taints."""
    services: Sequence[ServiceTarget] = ()
    """Model services: one Grafana dashboard and one `PrometheusRule` each."""
    spec: _stack.ClusterMonitoringSpec = field(default_factory=_stack.ClusterMonitoringSpec)
    """Retention and alert thresholds; defaults keep 15 days, at most 20 GB."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags of the AWS resources (the IRSA role)."""


def gpu_tolerations(groups: Sequence[NodeGroupSpec]) -> list[dict[str, str]]:
    """One toleration per distinct taint of the GPU groups, exact on key, value and effect."""
    taints: list[Taint] = []
    for group in groups:
        taints += [t for t in node_taints(group, gpu=True) if t not in taints]
    return [
        {"key": t.key, "operator": "Equal", "value": t.value, "effect": _EFFECTS[t.effect]}
        if t.value
        else {"key": t.key, "operator": "Exists", "effect": _EFFECTS[t.effect]}
        for t in taints
    ]


def publish_policy(topic_arn: pulumi.Input[str], key_arn: pulumi.Input[str]) -> _iam.PolicyDocument:
    """Publish to the one topic, and use its key for that; nothing else."""
    return _iam.document(
        {"Sid": "PublishAlerts", "Effect": "Allow", "Action": "sns:Publish",
         "Resource": topic_arn},
        {"Sid": "EncryptForTheTopic", "Effect": "Allow",
         "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": key_arn},
    )  # fmt: skip


class ClusterMonitoring(pulumi.ComponentResource):
    """kube-prometheus-stack and the DCGM exporter, with dashboards and rules as code.

    Grafana answers inside the cluster only (ClusterIP) with a generated admin password kept
    in a Secret; Alertmanager sends every alert to the environment's SNS topic with SigV4.
    """

    grafana_url: pulumi.Output[str]
    """Grafana's in-cluster address (`kubectl port-forward` to reach it)."""
    grafana_admin_secret: pulumi.Output[str]
    """`<namespace>/<name>` of the Secret with Grafana's admin user and password."""
    alertmanager_role_arn: pulumi.Output[str]
    """The role Alertmanager assumes to publish to the topic."""

    def __init__(
        self,
        name: str,
        args: ClusterMonitoringArgs,
        cluster: ClusterAccess,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Install the stack through the cluster's provider, after the cluster software."""
        role_name = auto_named(f"{name}-alertmanager-role")
        raise_if_any(
            "ClusterMonitoring", check_length("name", name, "IAM role", role_name, IAM_ROLE_LIMIT)
        )
        opts = pulumi.ResourceOptions.merge(opts, cluster.options())
        super().__init__("mlops:eks:ClusterMonitoring", name, None, opts)
        children = Children(name, self, args.tags, protect_data=False)
        role = self._alertmanager_role(children, args, cluster)
        space = kubernetes.core.v1.Namespace(
            children.name("namespace"), metadata={"name": _stack.NAMESPACE},
            opts=children.opts(depends_on=depends_on_of(opts)),
        )  # fmt: skip
        secret = _admin_secret(children, space)
        values = _stack.stack_values(
            topic_arn=args.topic_arn,  # type: ignore[arg-type]  # resolved by Helm's values
            region=AwsContext.of(self).region,  # type: ignore[arg-type]
            alertmanager_role_arn=role.arn,  # type: ignore[arg-type]
            spec=args.spec,
        )
        stack = _release(children, KUBE_PROMETHEUS_STACK, _stack.STACK_RELEASE, values, [secret])
        dcgm_values = _stack.dcgm_values(gpu_tolerations(args.gpu_node_groups), ACCELERATOR_LABEL)
        _release(children, _stack.DCGM_EXPORTER, _stack.DCGM_RELEASE, dcgm_values, [stack])
        for target in args.services:
            _service_objects(children, target, args.spec, [stack, space])
        self.grafana_url = pulumi.Output.from_input(f"http://{_stack.GRAFANA_SERVICE}")
        self.grafana_admin_secret = pulumi.Output.from_input(
            f"{_stack.NAMESPACE}/{_stack.GRAFANA_ADMIN_SECRET}"
        )
        self.alertmanager_role_arn = role.arn
        register_outputs(self, OUTPUTS)

    @staticmethod
    def _alertmanager_role(
        children: Children, args: ClusterMonitoringArgs, cluster: ClusterAccess
    ) -> aws.iam.Role:
        role = _irsa.service_account_role(
            children,
            "alertmanager-role",
            provider_arn=cluster.oidc_provider_arn,
            issuer_url=cluster.oidc_issuer_url,
            namespace=_stack.NAMESPACE,
            account=_stack.ALERTMANAGER_ACCOUNT,
        )
        aws.iam.RolePolicy(
            children.name("alertmanager-publish"),
            role=role.name,
            policy=_iam.to_json(publish_policy(args.topic_arn, args.topic_key_arn)),
            opts=children.opts(),
        )
        return role


def _admin_secret(children: Children, space: pulumi.Resource) -> kubernetes.core.v1.Secret:
    """Grafana's admin credentials: a generated password, a secret in the state as well."""
    password = random.RandomPassword(
        children.name("grafana-password"), length=32, special=False, opts=children.opts()
    )
    return kubernetes.core.v1.Secret(
        children.name("grafana-admin"),
        metadata={"name": _stack.GRAFANA_ADMIN_SECRET, "namespace": _stack.NAMESPACE},
        type="Opaque",
        string_data={_stack.ADMIN_USER_KEY: "admin", _stack.ADMIN_PASSWORD_KEY: password.result},
        opts=children.opts(depends_on=[space]),
    )


def _release(
    children: Children, pin: ChartPin, release: str, values: dict[str, Any],
    after: list[pulumi.Resource],
) -> kubernetes.helm.v3.Release:  # fmt: skip
    """A release of `pin` in the monitoring namespace, rolled back if it fails."""
    return kubernetes.helm.v3.Release(
        children.name(release),
        name=release,
        chart=pin.chart,
        version=pin.version,
        repository_opts={"repo": pin.repo},
        namespace=_stack.NAMESPACE,
        atomic=True,
        cleanup_on_fail=True,
        timeout=900,
        values=values,
        opts=children.opts(depends_on=after),
    )


def _service_objects(
    children: Children, target: ServiceTarget, spec: _stack.ClusterMonitoringSpec,
    after: list[pulumi.Resource],
) -> None:  # fmt: skip
    """The service's dashboard ConfigMap and its `PrometheusRule` (CRD from the stack)."""
    board = _stack.dashboard_config_map(target)
    kubernetes.core.v1.ConfigMap(
        children.name(f"{target.service_name}-dashboard"),
        metadata=board["metadata"],
        data=board["data"],
        opts=children.opts(depends_on=after),
    )
    rules = prometheus_rules(
        target, max_error_rate=spec.max_error_rate, max_p95_seconds=spec.max_p95_seconds
    )
    create_object(children, f"{target.service_name}-rules", rules, after)
