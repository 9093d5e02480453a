"""The Population Stability Index over the reference's quantile bins, and its thresholds.

PSI = sum over bins of (a - e) ln(a / e), with shares from counts floored by a pseudo-count;
`docs/monitoring.md` ("How drift is computed") explains the bins and the size-aware threshold.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Literal

import numpy as np
import numpy.typing as npt

from .ks import FloatArray, IntArray, sort_sample

PSI_BANDS = (0.1, 0.25)
"""The usual PSI bands: below 0.1 stable, 0.1-0.25 moderate, above 0.25 significant."""
FLOOR = 0.5
"""Pseudo-count added to every bin before shares are taken, so no share is ever zero."""


def quantile_edges(reference: npt.ArrayLike, bins: int) -> FloatArray:
    """Inner bin edges at the finite reference values' quantiles 1/B .. (B-1)/B, deduplicated.

    Raises:
        ValueError: when `bins` < 2 or the reference is empty.
    """
    values = sort_sample(reference)
    values = values[np.isfinite(values)]
    if bins < 2 or values.size == 0:  # noqa: PLR2004 - two bins is the smallest split
        raise ValueError(f"quantile bins need bins >= 2 and data, got {bins} and {values.size}")
    return np.unique(np.quantile(values, np.linspace(0.0, 1.0, bins + 1)[1:-1]))


def bin_counts(edges: FloatArray, values: npt.ArrayLike) -> IntArray:
    """Counts per bin; bin k holds edges[k-1] <= x < edges[k], the outer bins are open."""
    array = np.asarray(values, dtype=np.float64).ravel()
    array = array[~np.isnan(array)]
    return np.bincount(np.searchsorted(edges, array, side="right"), minlength=edges.size + 1)


def psi(expected_counts: npt.ArrayLike, actual_counts: npt.ArrayLike) -> float:
    """PSI = sum (a - e) ln(a / e) over bins, from counts floored by adding 0.5 to each bin."""
    e = np.asarray(expected_counts, dtype=np.float64) + FLOOR
    a = np.asarray(actual_counts, dtype=np.float64) + FLOOR
    e /= e.sum()
    a /= a.sum()
    return float(np.sum((a - e) * np.log(a / e)))


def expected_psi(bins: int, n_reference: int, n_current: int) -> float:
    """Expected PSI under no drift: (B - 1)(1/M + 1/N)."""
    return (bins - 1) * (1.0 / n_reference + 1.0 / n_current)


def chi2_quantile(q: float, dof: int) -> float:
    """Chi-square quantile: exact for 1 and 2 dof, Wilson-Hilferty (within 2 %) beyond."""
    if dof == 1:
        return NormalDist().inv_cdf(0.5 + q / 2.0) ** 2
    if dof == 2:  # noqa: PLR2004 - the exponential case, exact
        return -2.0 * math.log(1.0 - q)
    z = NormalDist().inv_cdf(q)
    k = float(dof)
    return k * (1.0 - 2.0 / (9.0 * k) + z * math.sqrt(2.0 / (9.0 * k))) ** 3


def psi_threshold(bins: int, n_reference: int, n_current: int, band: float, alpha: float) -> float:
    """max(band, chi2_{B-1}(1 - alpha) (1/M + 1/N)): PSI above it is drift at level alpha.

    Under no drift PSI ~ (1/M + 1/N) chi2 with B - 1 degrees of freedom (second-order
    expansion of (a - e) ln(a / e)), so small windows get a higher bar than `band`.
    """
    scale = 1.0 / n_reference + 1.0 / n_current
    return max(band, chi2_quantile(1.0 - alpha, max(bins - 1, 1)) * scale)


def psi_band(value: float) -> Literal["stable", "moderate", "significant"]:
    """The usual reading of a PSI value: stable < 0.1 <= moderate < 0.25 <= significant."""
    if value < PSI_BANDS[0]:
        return "stable"
    return "moderate" if value < PSI_BANDS[1] else "significant"
