"""What a preview says about each model endpoint: rollout, rollback alarms, scaling, capture.

Read from the registrations alone, so it shows what the engine would receive, not what the
config meant.
"""

from __future__ import annotations

from typing import Any

from mlops_platform.preview.recorder import Registration, Registry

ENDPOINT_COMPONENT = "mlops:sagemaker:ModelEndpoint"
_SIZE_KEYS = ("canarySize", "linearStepSize", "maximumBatchSize")


def endpoint_lines(registry: Registry) -> list[str]:
    """Summary lines for every ModelEndpoint of the stack; none when it has no endpoint."""
    lines = []
    for component in registry.all(ENDPOINT_COMPONENT):
        found = _by_type(registry.descendants_of(component))
        endpoint = found.get("aws:sagemaker/endpoint:Endpoint", [])
        config = found.get("aws:sagemaker/endpointConfiguration:EndpointConfiguration", [])
        if len(endpoint) != 1 or len(config) != 1:
            continue
        lines.append(f"    {component.name}: {rollout(endpoint[0].inputs)}")
        lines.append(f"      variants: {variants(config[0].inputs)}")
        alarms = found.get("aws:cloudwatch/metricAlarm:MetricAlarm", [])
        lines.append(f"      rollback alarms {rollback(endpoint[0].inputs, alarms)}")
        targets = found.get("aws:appautoscaling/target:Target", [])
        lines.append(f"      autoscaling: {scaling(targets)}")
        lines.append(f"      data capture: {capture(config[0].inputs)}")
    return ["  endpoints:", *lines] if lines else []


def _by_type(registrations: list[Registration]) -> dict[str, list[Registration]]:
    found: dict[str, list[Registration]] = {}
    for registration in registrations:
        found.setdefault(registration.type, []).append(registration)
    return found


def rollout(endpoint: dict[str, Any]) -> str:
    """`CANARY (10 %), bake 600 s after each shift, old fleet kept 600 s, timeout 3600 s`."""
    deployment = endpoint.get("deploymentConfig", {})
    policy = deployment.get("blueGreenUpdatePolicy") or deployment.get("rollingUpdatePolicy")
    if not policy:
        return "no deployment configuration: SageMaker's defaults, no rollback"
    routing = policy.get("trafficRoutingConfiguration", {"type": "ROLLING"})
    sizes = [routing.get(key) or policy.get(key) for key in _SIZE_KEYS]
    size = next((found for found in sizes if found), None)
    step = ""
    if size:
        unit = "%" if size["type"] == "CAPACITY_PERCENT" else "instances"
        step = f" ({size['value']} {unit})"
    wait = routing.get("waitIntervalInSeconds", policy.get("waitIntervalInSeconds", 0))
    parts = [f"{routing['type']}{step}", f"bake {wait} s after each shift"]
    if "terminationWaitInSeconds" in policy:
        parts.append(f"old fleet kept {policy['terminationWaitInSeconds']} s")
    parts.append(f"timeout {policy.get('maximumExecutionTimeoutInSeconds', '-')} s")
    return ", ".join(parts)


def variants(config: dict[str, Any]) -> str:
    """`blue ml.m5.xlarge x3 weight 0.9, candidate (shadow) ml.m5.xlarge x1 weight 0.5`."""
    shown = [_variant(v, "") for v in config.get("productionVariants", [])]
    shown += [_variant(v, " (shadow)") for v in config.get("shadowProductionVariants", [])]
    return ", ".join(shown)


def _variant(variant: dict[str, Any], note: str) -> str:
    return (
        f"{variant.get('variantName')}{note} {variant.get('instanceType')} "
        f"x{variant.get('initialInstanceCount')} weight {variant.get('initialVariantWeight')}"
    )


def rollback(endpoint: dict[str, Any], alarms: list[Registration]) -> str:
    """The alarms the rollout rolls back on, with what each watches."""
    configured = endpoint.get("deploymentConfig", {}).get("autoRollbackConfiguration", {})
    names = [a["alarmName"] for a in configured.get("alarms", [])]
    if not names:
        return ": none, nothing rolls a bad version back"
    by_name = {a.inputs.get("name"): a.inputs for a in alarms}
    shown = []
    for name in names:
        alarm = by_name.get(name)
        if alarm is None:
            shown.append(f"{name} (the caller's)")
            continue
        metrics = [q["metric"] for q in alarm.get("metricQueries", []) if q.get("metric")]
        if not metrics:
            shown.append(f"{name} (no metrics)")
            continue
        metric_name, statistic = metrics[0]["metricName"], metrics[0]["stat"]
        threshold = alarm["threshold"]
        if metric_name == "ModelLatency":
            threshold = f"{threshold / 1000:g} ms"
        watched = "/".join(m["dimensions"]["VariantName"] for m in metrics)
        shown.append(f"worst of {watched} {metric_name} {statistic} > {threshold}")
    return f"({len(names)}) " + ", ".join(shown)


def scaling(targets: list[Registration]) -> str:
    """`blue 3-10, green 2-4` instances, or `none` when every count is fixed."""
    shown = [
        f"{t.inputs['resourceId'].rsplit('/', 1)[-1]} {t.inputs['minCapacity']}-"
        f"{t.inputs['maxCapacity']}"
        for t in targets
    ]
    return ", ".join(sorted(shown)) or "none (fixed instance counts)"


def capture(config: dict[str, Any]) -> str:
    """`20 % of requests and responses to s3://.../data-capture/, KMS-encrypted`."""
    settings = config.get("dataCaptureConfig")
    if not settings or not settings.get("enableCapture"):
        return "off"
    encrypted = "KMS-encrypted" if settings.get("kmsKeyId") else "NOT encrypted"
    return (
        f"{settings['initialSamplingPercentage']} % of requests and responses to "
        f"{settings['destinationS3Uri']}, {encrypted}"
    )
