"""What each variant of an endpoint serves and on what: specs, weights and their checks.

Pure functions of plain values; `model_endpoint.py` turns them into resources.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mlops_platform.components.core.checks import is_number, is_positive, is_whole
from mlops_platform.components.core.errors import Problem
from mlops_platform.components.sagemaker.rollout import Capacity

MAX_PRODUCTION_VARIANTS = 10
"""AWS allows up to 10 production variants in one endpoint configuration."""
MAX_SHADOW_VARIANTS = 1
"""AWS allows one shadow variant at most, and only beside exactly one production variant
(CreateEndpointConfig, `ShadowProductionVariants`)."""

_VARIANT_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
_INSTANCE_TYPE = re.compile(r"^ml\.[a-z0-9-]+\.[a-z0-9]+$")


@dataclass(frozen=True, kw_only=True)
class VariantAutoscalingSpec:
    """Target tracking on invocations per instance, between a floor and a ceiling."""

    min_capacity: int
    """The fewest instances the variant scales in to (1 or more; prod asks for 2)."""
    max_capacity: int
    """The most instances the variant scales out to."""
    invocations_per_instance: float = 1000.0
    """The target: invocations per instance per minute that the scaler keeps the variant at."""
    scale_in_cooldown_seconds: int = 300
    """Seconds after a scale-in before the next; slow, so a dip does not drop capacity."""
    scale_out_cooldown_seconds: int = 60
    """Seconds after a scale-out before the next; fast, so a surge is met."""


@dataclass(frozen=True, kw_only=True)
class VariantSpec:
    """One variant: a model (an image and an artifact, or a registered package) on instances."""

    name: str
    """The variant's name; keep it across versions (blue-green rollouts match variants by name)."""
    instance_type: str
    """A SageMaker hosting instance type, e.g. `ml.m5.large`."""
    instance_count: int = 1
    """Instances at the start; with autoscaling, within its bounds (prod asks for 2)."""
    weight: float = 1.0
    """Share of traffic, as a percentage or a ratio: weights are normalised to ratios (AWS
    weights are ratios). A shadow variant's weight is read against the production weights."""
    image: str | None = None
    """The ECR image URI with a tag or digest; with `model_data`, unless `model_package`."""
    model_data: str | None = None
    """The `s3://` URI of the model artifact, under the endpoint's `artifact_prefix`."""
    model_package: str | int | None = None
    """Serve an approved package: its ARN, or a version number in the endpoint's own group."""
    shadow: bool = False
    """Receive a copy of the traffic; its answers are captured, never returned to callers."""
    autoscaling: VariantAutoscalingSpec | None = None
    """Scale on invocations per instance; None keeps `instance_count` fixed."""


def production(variants: Sequence[VariantSpec]) -> list[VariantSpec]:
    """The variants that answer callers (every variant but the shadow)."""
    return [v for v in variants if not v.shadow]


def normalised_weights(variants: Sequence[VariantSpec]) -> dict[str, float]:
    """Each variant's weight as a ratio of the production variants' total, rounded to 6 places.

    Percentages (90/10) and ratios (0.9/0.1) give the same result. A shadow variant's weight is
    divided by the same total. Callers check first that the production total is above zero.
    """
    total = sum(v.weight for v in production(variants))
    return {v.name: round(v.weight / total, 6) for v in variants}


def capacities(variants: Sequence[VariantSpec]) -> list[Capacity]:
    """The production variants whose instance counts are valid, with their positions."""
    return [
        Capacity(index, v.name, v.instance_count)
        for index, v in enumerate(variants)
        if not v.shadow and is_whole(v.instance_count) and v.instance_count >= 1
    ]


def check_variants(variants: Sequence[VariantSpec]) -> list[Problem]:
    """Names, counts, weights and instance types of the variants, and their number."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, variant in enumerate(variants):
        problems += _check_variant(index, variant)
        if variant.name in seen:
            problems.append(
                Problem(
                    f"variants[{index}].name",
                    variant.name,
                    f"variant names must be unique; variants[{seen[variant.name]}] has it too",
                )
            )
        seen.setdefault(variant.name, index)
    return problems + _check_mix(variants)


def _check_variant(index: int, variant: VariantSpec) -> list[Problem]:
    field = f"variants[{index}]"
    problems = []
    if not isinstance(variant.name, str) or not _VARIANT_NAME.match(variant.name):
        problems.append(
            Problem(f"{field}.name", variant.name, "1-63 letters, digits or inner hyphens")
        )
    if not isinstance(variant.instance_type, str) or not _INSTANCE_TYPE.match(
        variant.instance_type
    ):
        problems.append(
            Problem(
                f"{field}.instance_type",
                variant.instance_type,
                "SageMaker instance types start with 'ml.' (e.g. ml.m5.large)",
            )
        )
    if not is_whole(variant.instance_count) or variant.instance_count < 1:
        problems.append(
            Problem(f"{field}.instance_count", variant.instance_count, "a whole number, 1 or more")
        )
    if not is_number(variant.weight):
        problems.append(Problem(f"{field}.weight", variant.weight, "a number, 0 or more"))
    elif variant.weight < 0:
        problems.append(
            Problem(f"{field}.weight", variant.weight, "weights are 0 or more; AWS rejects less")
        )
    if variant.autoscaling is not None:
        problems += _check_autoscaling(index, variant.instance_count, variant.autoscaling)
    return problems


def _check_mix(variants: Sequence[VariantSpec]) -> list[Problem]:
    """How many production and shadow variants there are, and the production weights."""
    serving = production(variants)
    shadows = [v.name for v in variants if v.shadow]
    problems = []
    if not serving:
        problems.append(Problem("variants", len(variants), "at least one production variant"))
    if len(serving) > MAX_PRODUCTION_VARIANTS:
        problems.append(
            Problem(
                "variants",
                len(serving),
                f"at most {MAX_PRODUCTION_VARIANTS} production variants (AWS limit)",
            )
        )
    if len(shadows) > MAX_SHADOW_VARIANTS:
        problems.append(Problem("variants", shadows, "at most one shadow variant (AWS limit)"))
    elif shadows and len(serving) > 1:
        problems.append(
            Problem(
                "variants",
                len(serving),
                f"{len(serving)} production variants beside shadow variant {shadows[0]!r}; AWS "
                "accepts a shadow variant only beside exactly one production variant: split "
                "the A/B test and the shadow test into two endpoints",
            )
        )
    weights = [v.weight for v in serving]
    numeric = all(is_number(w) for w in weights)
    if serving and numeric and all(w <= 0 for w in weights):
        problems.append(
            Problem(
                "variants[*].weight",
                weights,
                "the production weights are all 0; at least one variant must take traffic",
            )
        )
    return problems


def _check_autoscaling(
    index: int, instance_count: int, spec: VariantAutoscalingSpec
) -> list[Problem]:
    field = f"variants[{index}].autoscaling"
    lowest, highest = spec.min_capacity, spec.max_capacity
    problems = []
    if not is_whole(lowest) or lowest < 1:
        problems.append(Problem(f"{field}.min_capacity", lowest, "a whole number, 1 or more"))
    if not is_whole(highest) or highest < 1:
        problems.append(Problem(f"{field}.max_capacity", highest, "a whole number, 1 or more"))
    if problems:
        return problems
    if lowest > highest:
        return [Problem(f"{field}.min_capacity", lowest, f"above the maximum capacity ({highest})")]
    if is_whole(instance_count) and not lowest <= instance_count <= highest:
        problems.append(
            Problem(
                f"variants[{index}].instance_count",
                instance_count,
                f"an autoscaled variant starts within its bounds, {lowest}-{highest}",
            )
        )
    target = spec.invocations_per_instance
    if not is_positive(target):
        problems.append(Problem(f"{field}.invocations_per_instance", target, "a number above 0"))
    for cooldown in ("scale_in_cooldown_seconds", "scale_out_cooldown_seconds"):
        value = getattr(spec, cooldown)
        if not is_whole(value) or value < 0:
            problems.append(Problem(f"{field}.{cooldown}", value, "a whole number, 0 or more"))
    return problems
