"""The stack's watch: alerting topic, dashboards and alarms, the audit trail, drift checks."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pulumi

from infra.bundle import drift_bundle
from infra.config import StackConfig, partition_of
from infra.schema.endpoints import EndpointDeclaration
from mlops_platform.components.audit import AuditTrail, AuditTrailArgs
from mlops_platform.components.eks import GpuCluster
from mlops_platform.components.observability import (
    DriftDetector,
    EndpointWatch,
    LambdaCode,
    Observability,
    ObservabilityArgs,
    ServiceWatch,
)
from mlops_platform.components.observability.dashboards import VariantBounds
from mlops_platform.components.sagemaker import ModelEndpoint
from mlops_platform.components.sagemaker.capture import CAPTURE_PREFIX
from mlops_platform.components.sagemaker.variants import VariantSpec, production

GPU_FAMILIES = ("ml.g", "ml.p")
"""SageMaker instance families with NVIDIA GPUs."""


@dataclass(frozen=True)
class Monitoring:
    """What watches the stack."""

    observability: Observability
    audit: AuditTrail
    drift: dict[str, DriftDetector]
    """Drift checks by endpoint entry name."""


def _bounds(variant: VariantSpec) -> VariantBounds:
    scaling = variant.autoscaling
    low = scaling.min_capacity if scaling else variant.instance_count
    high = scaling.max_capacity if scaling else variant.instance_count
    return VariantBounds(name=variant.name, min_instances=low, max_instances=high)


def _endpoint_watch(declaration: EndpointDeclaration, endpoint: ModelEndpoint) -> EndpointWatch:
    variants = production(declaration.args.variants)
    features = declaration.drift.features if declaration.drift else ()
    return EndpointWatch(
        key=declaration.name,
        endpoint_name=endpoint.endpoint_name,
        variants=tuple(_bounds(v) for v in variants),
        rollback_alarm_names=endpoint.rollback_alarm_names,
        drift_features=tuple(f.name for f in features),
        gpu=any(v.instance_type.startswith(GPU_FAMILIES) for v in variants),
    )


def _bucket_of(uri: pulumi.Output[str]) -> pulumi.Output[str]:
    return uri.apply(lambda text: text.removeprefix("s3://").split("/", 1)[0])


def _audit_args(stack: StackConfig, endpoints: dict[str, ModelEndpoint]) -> AuditTrailArgs:
    """The config's trail, also recording object events on every capture bucket."""
    audit = stack.audit or AuditTrailArgs(
        environment=stack.environment, trail_name=f"mlops-{stack.stack}-audit", retention_days=365
    )
    partition = partition_of(stack.region)
    captures = [
        pulumi.Output.concat(f"arn:{partition}:s3:::", _bucket_of(e.capture_s3_uri))
        for e in endpoints.values()
        if e.capture_s3_uri is not None
    ]
    return dataclasses.replace(audit, data_bucket_arns=[*audit.data_bucket_arns, *captures])


def create_monitoring(
    stack: StackConfig,
    endpoints: dict[str, ModelEndpoint],
    cluster: GpuCluster | None,
    options: pulumi.ResourceOptions,
) -> Monitoring:
    """Alarms and dashboards for every endpoint and service, the trail, and the drift checks."""
    env = stack.environment
    services = [
        ServiceWatch(
            key=name,
            cluster_name=cluster.cluster_name,
            namespace=name,  # ModelService runs each service in a namespace of its name
            service_name=name,
            rollout_name=name,
        )
        # The services run in the serving layer; their names are the stack's config.
        for name in (service.service_name for service in stack.services)
    ] if cluster else []  # fmt: skip
    watched = [
        _endpoint_watch(declaration, endpoints[declaration.name]) for declaration in stack.endpoints
    ]
    observability = Observability(
        f"{env}-observability",
        ObservabilityArgs(
            subscriptions=stack.alerting,
            endpoints=watched,
            services=services,
            tags=stack.tags,
            protect_data=stack.protect_data,
        ),
        options,
    )
    topic = observability.topic_arn
    audit = AuditTrail(f"{env}-audit", _audit_args(stack, endpoints), topic, options)
    drift = _create_drift(stack, endpoints, topic, options)
    return Monitoring(observability, audit, drift)


def _create_drift(
    stack: StackConfig,
    endpoints: dict[str, ModelEndpoint],
    topic: pulumi.Output[str],
    options: pulumi.ResourceOptions,
) -> dict[str, DriftDetector]:
    declared = [d for d in stack.endpoints if d.drift is not None]
    if not declared:
        return {}
    bundle = drift_bundle()
    code = LambdaCode(
        archive=pulumi.FileArchive(str(bundle.path)), sha256=bundle.sha256, ships=bundle.ships
    )
    detectors = {}
    for declaration in declared:
        endpoint = endpoints[declaration.name]
        if declaration.drift is None or endpoint.capture_s3_uri is None:
            continue
        args = dataclasses.replace(
            declaration.drift,
            endpoint_name=endpoint.endpoint_name,
            capture_bucket=_bucket_of(endpoint.capture_s3_uri),
            capture_prefix=CAPTURE_PREFIX,
            capture_key_arn=endpoint.key_arn,
        )
        detectors[declaration.name] = DriftDetector(
            f"{stack.environment}-{declaration.name}-drift", args, code, topic, options
        )
    return detectors


def monitoring_outputs(monitoring: Monitoring) -> dict[str, object]:
    """What operators need: the topic to subscribe to, the trail, dashboards, drift checks."""
    audit = monitoring.audit
    return {
        "alertTopicArn": monitoring.observability.topic_arn,
        "alertKeyArn": monitoring.observability.topic_key_arn,
        "dashboards": monitoring.observability.dashboard_names,
        "trailArn": audit.trail_arn,
        "auditBucket": audit.bucket_name,
        "auditLogGroup": audit.log_group_name,
        "drift": {
            name: {"function": d.function_name, "reports": d.report_bucket_name,
                   "alarm": d.alarm_name}
            for name, d in monitoring.drift.items()
        },
    }  # fmt: skip
