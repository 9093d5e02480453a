"""One feature's drift verdict over one window: KS and PSI against thresholds from config.

Numeric features get KS against the reference sample and PSI on its quantile bins; categorical
ones PSI over category shares. A window with too few rows is `insufficient_data`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy.typing as npt

from .categorical import category_counts
from .ks import FloatArray, IntArray, KsResult, SortedReference, ks_sorted, sort_sample
from .psi import bin_counts, expected_psi, psi, psi_band, psi_threshold


@dataclass(frozen=True)
class Thresholds:
    """When a feature counts as drifted; every value comes from config."""

    ks_d: float = 0.1
    """KS D at or above which the distributions differ enough to matter (effect size)."""
    ks_alpha: float = 0.01
    """KS p-value below which the difference is more than chance; both must hold."""
    psi_band: float = 0.1
    """PSI band that counts as drift for large windows (the usual 0.1; 0.25 is stricter)."""
    psi_alpha: float = 0.01
    """False-alarm rate of the size-aware PSI threshold under no drift."""
    min_rows: int = 100
    """Fewer current rows than this and the feature is `insufficient_data`."""


Status = Literal["drift", "no_drift", "insufficient_data"]


@dataclass(frozen=True)
class FeatureVerdict:
    """One feature's statistics over one window and what they mean."""

    feature: str
    """The feature's name."""
    kind: Literal["numeric", "categorical"]
    """Numeric features get KS and PSI; categorical ones PSI over category shares."""
    status: Status
    """`drift`, `no_drift`, or `insufficient_data` when the window had too few rows."""
    rows_reference: int
    """Reference rows behind the PSI counts."""
    rows_current: int
    """Rows of the window with a value for this feature."""
    bins: int
    """PSI bins (categories plus the unseen bin for categorical features)."""
    psi: float | None = None
    """PSI of the window against the reference; None when data was insufficient."""
    psi_threshold: float | None = None
    """The size-aware threshold PSI was compared with."""
    psi_expected: float | None = None
    """Expected PSI under no drift at these sample sizes, (B - 1)(1/M + 1/N)."""
    ks: KsResult | None = None
    """KS test of a numeric feature; None otherwise or when data was insufficient."""

    def as_dict(self) -> dict[str, object]:
        """The verdict as JSON-ready values, with the PSI band next to the threshold."""
        out: dict[str, object] = {
            "feature": self.feature,
            "kind": self.kind,
            "status": self.status,
            "rows_reference": self.rows_reference,
            "rows_current": self.rows_current,
            "bins": self.bins,
        }
        if self.psi is not None:
            out |= {
                "psi": self.psi,
                "psi_band": psi_band(self.psi),
                "psi_threshold": self.psi_threshold,
                "psi_expected_no_drift": self.psi_expected,
            }
        if self.ks is not None:
            out |= {"ks_d": self.ks.statistic, "ks_p": self.ks.pvalue, "ks_method": self.ks.method}
        return out


def _psi_part(expected: IntArray, actual: IntArray, limits: Thresholds) -> tuple[float, ...]:
    m, n, bins = int(expected.sum()), int(actual.sum()), expected.size
    value = psi(expected, actual)
    threshold = psi_threshold(bins, m, n, limits.psi_band, limits.psi_alpha)
    return value, threshold, expected_psi(bins, m, n)


def assess_numeric(
    name: str,
    *,
    sorted_sample: SortedReference | FloatArray,
    edges: FloatArray,
    reference_counts: IntArray,
    values: npt.ArrayLike,
    limits: Thresholds,
) -> FeatureVerdict:
    """KS against the reference sample and PSI on its quantile bins; drift if either says so.

    KS counts only when D >= ks_d and p < ks_alpha; PSI when it reaches `psi_threshold`.
    """
    current = sort_sample(values)
    base = FeatureVerdict(
        name, "numeric", "insufficient_data", int(reference_counts.sum()), current.size,
        edges.size + 1,
    )  # fmt: skip
    if current.size < limits.min_rows:
        return base
    ks = ks_sorted(sorted_sample, current)
    value, threshold, expected = _psi_part(reference_counts, bin_counts(edges, current), limits)
    drift = (ks.statistic >= limits.ks_d and ks.pvalue < limits.ks_alpha) or value >= threshold
    return FeatureVerdict(
        name, "numeric", "drift" if drift else "no_drift", base.rows_reference, current.size,
        base.bins, value, threshold, expected, ks,
    )  # fmt: skip


def assess_categorical(
    name: str, reference: Mapping[str, int], values: Sequence[str], limits: Thresholds
) -> FeatureVerdict:
    """PSI over category shares; categories the reference never saw share one extra bin."""
    _, expected, actual = category_counts(reference, values)
    base = FeatureVerdict(
        name, "categorical", "insufficient_data", int(expected.sum()), len(values), expected.size
    )
    if len(values) < limits.min_rows:
        return base
    value, threshold, psi_expected = _psi_part(expected, actual, limits)
    status: Status = "drift" if value >= threshold else "no_drift"
    return FeatureVerdict(
        name, "categorical", status, base.rows_reference, len(values), base.bins, value,
        threshold, psi_expected,
    )  # fmt: skip
