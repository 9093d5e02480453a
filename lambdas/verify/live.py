"""What a live endpoint serves, and how it differs from the release record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..common.release import ReleaseRecord

BUSY = frozenset({"Creating", "Updating", "SystemUpdating", "RollingBack", "UpdateRollbackFailed"})
"""Endpoint states to wait out before comparing."""


@dataclass(frozen=True)
class LiveVariant:
    """One production variant as it runs now."""

    name: str
    """Variant name."""
    weight: float
    """Current weight."""
    instance_count: int
    """Current instance count."""
    resolved_images: tuple[str, ...]
    """`DeployedImages[].ResolvedImage` (URIs with digests)."""
    package_arns: tuple[str, ...]
    """Model packages the variant's model was built from."""
    images: tuple[str, ...]
    """Images the variant's model names."""


@dataclass(frozen=True)
class LiveEndpoint:
    """An endpoint's state and configuration, as described by SageMaker."""

    status: str
    """`EndpointStatus`."""
    config_name: str
    """`EndpointConfigName` serving now."""
    variants: tuple[LiveVariant, ...]
    """Production variants."""


def read_live(sagemaker: Any, endpoint: Mapping[str, Any]) -> LiveEndpoint:
    """Describe the configuration and models of a described endpoint."""
    config_name = str(endpoint["EndpointConfigName"])
    config = sagemaker.describe_endpoint_config(EndpointConfigName=config_name)
    model_of = {v["VariantName"]: v["ModelName"] for v in config["ProductionVariants"]}
    variants = []
    for variant in endpoint.get("ProductionVariants", []):
        model = sagemaker.describe_model(ModelName=model_of[variant["VariantName"]])
        containers = model.get("Containers") or [model.get("PrimaryContainer", {})]
        variants.append(
            LiveVariant(
                name=variant["VariantName"],
                weight=float(variant.get("CurrentWeight", 0.0)),
                instance_count=int(variant.get("CurrentInstanceCount", 0)),
                resolved_images=tuple(
                    d.get("ResolvedImage", "") for d in variant.get("DeployedImages", [])
                ),
                package_arns=tuple(
                    c["ModelPackageName"] for c in containers if c.get("ModelPackageName")
                ),
                images=tuple(c["Image"] for c in containers if c.get("Image")),
            )
        )
    return LiveEndpoint(str(endpoint["EndpointStatus"]), config_name, tuple(variants))


def mismatches(live: LiveEndpoint, record: ReleaseRecord, previous_config: str) -> list[str]:
    """Every way `live` differs from `record`; empty when it serves the release.

    Args:
        live: The endpoint as it runs now (status InService).
        record: The release record the apply deployed.
        previous_config: The configuration serving before the apply; still serving it after a
            successful apply means SageMaker rolled back silently. Empty when unknown.
    """
    found: list[str] = []
    if previous_config and live.config_name == previous_config:
        found.append(f"endpoint still serves the previous configuration {previous_config}")
    for variant in live.variants:
        if record.package_arn not in variant.package_arns and record.image not in variant.images:
            found.append(
                f"variant {variant.name} serves neither {record.package_arn} nor {record.image}"
            )
        if not variant.resolved_images:
            found.append(f"variant {variant.name} reports no deployed images")
        for resolved in variant.resolved_images:
            if not resolved.endswith("@" + record.image_digest):
                found.append(
                    f"variant {variant.name} runs {resolved}, not digest {record.image_digest}"
                )
    found.extend(_variant_mismatches(live, record))
    return found


def _variant_mismatches(live: LiveEndpoint, record: ReleaseRecord) -> list[str]:
    found: list[str] = []
    live_by_name = {v.name: v for v in live.variants}
    for expected in record.variants:
        current = live_by_name.get(expected.name)
        if current is None:
            found.append(f"variant {expected.name} is not live")
            continue
        if abs(current.weight - expected.weight) > 1e-9:  # noqa: PLR2004
            found.append(
                f"variant {expected.name} weight is {current.weight}, expected {expected.weight}"
            )
        if current.instance_count != expected.instance_count:
            found.append(
                f"variant {expected.name} runs {current.instance_count} instances, "
                f"expected {expected.instance_count}"
            )
    return found
