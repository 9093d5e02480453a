"""An environment's alerting topic, and the alarms and dashboards of what it serves."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children, register_outputs
from mlops_platform.components.observability import _topic
from mlops_platform.components.observability.alarms import (
    EndpointAlarmThresholds,
    endpoint_alarms,
    endpoint_composite,
)
from mlops_platform.components.observability.args import (
    EndpointWatch,
    ObservabilityArgs,
    ServiceWatch,
)
from mlops_platform.components.observability.dashboards import (
    EndpointTarget,
    ServiceTarget,
    endpoint_dashboard,
    service_dashboard,
)

TYPE = "mlops:observability:Observability"
OUTPUTS = ("topic_arn", "topic_key_arn", "dashboard_names", "composite_alarm_names")
_PLACEHOLDER = "placeholder"


class Observability(pulumi.ComponentResource):
    """One encrypted alerting topic, and per target its alarms, composite and dashboard.

    Per endpoint: a 5XX and a p99 latency alarm per production variant (without actions), a
    composite alarm over them and the endpoint's rollback alarms (the one that pages), and a
    dashboard. Per EKS model service: a dashboard of its pods (Grafana shows the rest).
    """

    topic_arn: pulumi.Output[str]
    """The alerting topic: composites, audit alarms and drift notifications publish here."""
    topic_key_arn: pulumi.Output[str]
    """The topic's KMS key, which every publisher (the cluster's Alertmanager too) must use."""
    dashboard_names: pulumi.Output[dict[str, str]]
    """Each target's dashboard, by `endpoint:<key>` or `service:<key>`."""
    composite_alarm_names: pulumi.Output[dict[str, str]]
    """Each endpoint's composite alarm, by key."""

    def __init__(
        self, name: str, args: ObservabilityArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        """Create the topic, its subscriptions, and the alarms and dashboards of each target."""
        super().__init__(TYPE, name, None, opts)
        children = Children(name, self, args.tags, args.protect_data)
        context = AwsContext.of(self)
        topic, key = _topic.create_topic(children, context)
        _topic.create_subscriptions(children, topic, args.subscriptions)
        dashboards: dict[str, pulumi.Output[str]] = {}
        composites: dict[str, pulumi.Output[str]] = {}
        for watch in args.endpoints:
            composite, dashboard = _watch_endpoint(
                children, context, watch, topic.arn, args.thresholds
            )
            composites[watch.key] = composite.alarm_name
            dashboards[f"endpoint:{watch.key}"] = dashboard.dashboard_name
        for service in args.services:
            dashboards[f"service:{service.key}"] = _watch_service(
                children, context, service
            ).dashboard_name
        self.topic_arn = topic.arn
        self.topic_key_arn = key.arn
        self.dashboard_names = pulumi.Output.all(**dashboards)
        self.composite_alarm_names = pulumi.Output.all(**composites)
        register_outputs(self, OUTPUTS)


def _target(watch: EndpointWatch, endpoint_name: str, rollback: Sequence[str]) -> EndpointTarget:
    return EndpointTarget(
        endpoint_name=endpoint_name,
        variants=watch.variants,
        rollback_alarm_names=tuple(rollback),
        drift_features=watch.drift_features,
        gpu=watch.gpu,
    )


def _fields(specs: pulumi.Output[dict[str, Any]], template: Mapping[str, Any]) -> dict[str, Any]:
    """Resource inputs from a spec computed inside an Output, one Output per field."""

    def pick(name: str) -> Callable[[dict[str, Any]], Any]:
        return lambda spec: spec[name]

    return {name: specs.apply(pick(name)) for name in template}


def _watch_endpoint(
    children: Children,
    context: AwsContext,
    watch: EndpointWatch,
    topic_arn: pulumi.Output[str],
    thresholds: EndpointAlarmThresholds,
) -> tuple[aws.cloudwatch.CompositeAlarm, aws.cloudwatch.Dashboard]:
    """The endpoint's alarms, its composite and its dashboard."""
    values = pulumi.Output.all(watch.endpoint_name, watch.rollback_alarm_names)
    targets = values.apply(lambda v: _target(watch, v[0], v[1]))
    specs = targets.apply(lambda t: endpoint_alarms(t, thresholds))
    template = endpoint_alarms(_target(watch, _PLACEHOLDER, ()), thresholds)
    alarms: list[pulumi.Resource] = []
    for key, spec in template.items():
        suffix = f"{watch.key}-{key}"
        alarms.append(
            aws.cloudwatch.MetricAlarm(
                children.name(suffix),
                **_fields(specs.apply(lambda s, k=key: s[k]), spec),  # type: ignore[misc]
                tags=children.tagged(suffix),
                opts=children.opts(),
            )
        )
    composite_spec = pulumi.Output.all(targets, topic_arn).apply(
        lambda v: endpoint_composite(v[0], v[1])
    )
    composite = aws.cloudwatch.CompositeAlarm(
        children.name(f"{watch.key}-unhealthy"),
        **_fields(composite_spec, endpoint_composite(_target(watch, _PLACEHOLDER, ()), "t")),
        tags=children.tagged(f"{watch.key}-unhealthy"),
        opts=children.opts(depends_on=alarms),
    )
    body = pulumi.Output.all(targets, context.region, context.account_id).apply(
        lambda v: json.dumps(endpoint_dashboard(v[0], region=v[1], account_id=v[2]))
    )
    dashboard = aws.cloudwatch.Dashboard(
        children.name(f"{watch.key}-dashboard"),
        dashboard_name=pulumi.Output.concat(watch.endpoint_name, "-overview"),
        dashboard_body=body,
        opts=children.opts(),
    )
    return composite, dashboard


def _watch_service(
    children: Children, context: AwsContext, watch: ServiceWatch
) -> aws.cloudwatch.Dashboard:
    """The service's pod dashboard, from Container Insights."""
    body = pulumi.Output.all(watch.cluster_name, context.region).apply(
        lambda v: json.dumps(
            service_dashboard(
                ServiceTarget(
                    cluster_name=v[0],
                    namespace=watch.namespace,
                    service_name=watch.service_name,
                    rollout_name=watch.rollout_name,
                ),
                region=v[1],
            )
        )
    )
    return aws.cloudwatch.Dashboard(
        children.name(f"{watch.key}-dashboard"),
        dashboard_name=pulumi.Output.concat(watch.cluster_name, "-", watch.service_name),
        dashboard_body=body,
        opts=children.opts(),
    )
