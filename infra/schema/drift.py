"""`drift` of an `mlops:endpoints` entry: the endpoint's scheduled drift check.

Ranges are checked by `DriftDetectorArgs`; the endpoint's name and capture bucket exist only
once the program runs, so the args built here carry placeholders that `infra.monitoring`
replaces.
"""

from __future__ import annotations

from typing import Literal

from infra.schema import Section
from mlops_platform.components.core import ArgsError, Problem
from mlops_platform.components.observability import DriftDetectorArgs, DriftFeature

PLACEHOLDER = "(set by the program)"
"""Stands for the endpoint's name and capture bucket until the endpoint exists."""


class DriftFeatureSettings(Section):
    """One entry of `drift.features`."""

    name: str
    """The feature's name in the reference profile."""
    source: Literal["input", "output"] = "input"
    """`input` (the request) or `output` (the prediction)."""
    column: int | None = None
    """CSV column or JSON list index of the request."""
    key: str | None = None
    """JSON object key of the request or response."""


class DriftSettings(Section):
    """`drift` of an endpoint: compare its captured traffic with the training profile."""

    profile_uri: str
    """s3:// URI of the reference profile written at registration."""
    features: list[DriftFeatureSettings]
    """The features (and the prediction) to compare."""
    schedule: str | None = None
    """EventBridge Scheduler expression; hourly when unset."""
    window_minutes: int | None = None
    """Minutes of capture each run reads (default 60)."""
    ks_d_threshold: float | None = None
    """KS D that counts as drift (default 0.1)."""
    ks_alpha: float | None = None
    """KS significance level (default 0.01)."""
    psi_band: float | None = None
    """PSI band for large windows (default 0.1)."""
    psi_alpha: float | None = None
    """False-alarm rate of the size-aware PSI threshold (default 0.01)."""
    min_rows: int | None = None
    """Fewer rows and a feature is insufficient_data (default 100)."""
    retrain: bool | None = None
    """Start the training workflow on drift (default false); off, drift only notifies."""
    training_state_machine_arn: str | None = None
    """The training workflow's state machine; required with retrain."""


def build_drift(
    settings: DriftSettings, *, tags: dict[str, str], protect_data: bool
) -> tuple[DriftDetectorArgs | None, list[Problem]]:
    """The drift check's args (with placeholders), or the problems, fields under `drift.`."""
    values = settings.model_dump(exclude_unset=True, exclude={"features"})
    features = tuple(DriftFeature(**f.model_dump(exclude_unset=True)) for f in settings.features)
    try:
        args = DriftDetectorArgs(
            **{k: v for k, v in values.items() if v is not None},
            features=features,
            endpoint_name=PLACEHOLDER,
            capture_bucket=PLACEHOLDER,
            tags=tags,
            protect_data=protect_data,
        )
    except ArgsError as error:
        return None, [Problem(f"drift.{p.field}", p.value, p.reason) for p in error.problems]
    return args, []
