"""Two-sample Kolmogorov-Smirnov test, equal to `scipy.stats.ks_2samp` (D and p-value).

Pure functions over numpy arrays. The reference is sorted once, when the profile is built; a
window is sorted once per check, and D comes from a blocked search that looks up only the few
blocks of the window where the extremes can be (see `ks_statistic_sorted`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from .ks_pvalue import asymptotic_pvalue, exact_pvalue

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

EXACT_MAX_N = 10_000
"""Largest sample size for which the KS p-value is exact, as `scipy.stats.ks_2samp`'s `auto`."""
BLOCK = 64
"""Window values per block of the blocked search; its bounds need two look-ups per block."""


@dataclass(frozen=True)
class KsResult:
    """The two-sample KS statistic and its two-sided p-value."""

    statistic: float
    """D = max |F_ref(x) - F_cur(x)| over every observed x, as scipy computes it."""
    pvalue: float
    """P(D >= statistic) under no drift."""
    method: Literal["exact", "asymp"]
    """`exact` (lattice-path count) when both samples have at most 10,000 rows, else `asymp`,
    the same choice as scipy's `method="auto"`."""


def sort_sample(values: npt.ArrayLike) -> FloatArray:
    """Return `values` as a sorted float64 array without NaNs: the reference's fast-path form."""
    array = np.asarray(values, dtype=np.float64).ravel()
    nan = np.isnan(array)
    return np.sort(array[~nan] if nan.any() else array)


@dataclass(frozen=True)
class SortedReference:
    """A reference sample sorted once (at registration): KS's fast path."""

    values: FloatArray
    """The sample, sorted, without NaN."""

    @classmethod
    def of(cls, sorted_values: FloatArray) -> SortedReference:
        """Wrap an already sorted sample (see `sort_sample`)."""
        return cls(sorted_values)


def ks_2samp(reference: npt.ArrayLike, current: npt.ArrayLike) -> KsResult:
    """Two-sided two-sample KS test of `current` against `reference`, sorting both."""
    return ks_sorted(sort_sample(reference), current)


def ks_sorted(reference: SortedReference | FloatArray, current: npt.ArrayLike) -> KsResult:
    """KS test against a reference sorted once (`sort_sample` or `SortedReference`).

    Raises:
        ValueError: when either sample is empty.
    """
    ref = reference.values if isinstance(reference, SortedReference) else reference
    cur = sort_sample(current)
    n1, n2 = ref.size, cur.size
    if n1 == 0 or n2 == 0:
        raise ValueError(f"KS needs two non-empty samples, got {n1} and {n2} rows")
    d = ks_statistic_sorted(SortedReference(ref), cur)
    if max(n1, n2) <= EXACT_MAX_N:
        lattice, pvalue = exact_pvalue(d, n1, n2)
        return KsResult(lattice, pvalue, "exact")
    return KsResult(d, asymptotic_pvalue(d, n1, n2), "asymp")


def ks_statistic_sorted(ref: SortedReference, cur: FloatArray) -> float:
    """KS D of a sorted reference and a sorted, non-empty window, equal bit for bit to scipy's.

    With L_k (S_k) the reference values <= (<) the k-th window value, F_ref - F_cur is lowest
    at a window value, min_k L_k/n1 - (k+1)/n2, and highest just below one,
    max_k S_k/n1 - k/n2: inside a run of tied window values the other terms only lie above
    (below) the run's own, so neither needs ties found. Each term uses scipy's integers and
    divisions. Both are monotone in L, S and k, so the ends of a block of window values bound
    every term inside it in floating point too; only the blocks whose bound reaches the best
    term at a block's ends are looked up in full.
    """
    values, n1, n2 = ref.values, ref.values.size, cur.size
    starts = np.arange(0, n2, BLOCK)
    ends = np.minimum(starts + BLOCK, n2) - 1  # last index of each block
    at_start = np.searchsorted(values, cur[starts], side="right") / n1
    low_at_start, low_bound = at_start - (starts + 1) / n2, at_start - (ends + 1) / n2
    high_at_start = np.searchsorted(values, cur[starts], side="left") / n1 - starts / n2
    high_bound = np.searchsorted(values, cur[ends], side="left") / n1 - starts / n2
    lowest = _extreme(values, cur, starts[low_bound <= low_at_start.min()], "right")
    highest = _extreme(values, cur, starts[high_bound >= high_at_start.max()], "left")
    return max(highest, 0.0, float(np.clip(-lowest, 0.0, 1.0)))


def _extreme(
    values: FloatArray, cur: FloatArray, starts: IntArray, side: Literal["left", "right"]
) -> float:
    """The lowest L-term (`right`) or highest S-term (`left`) over the blocks at `starts`."""
    index = (starts[:, None] + np.arange(BLOCK)).ravel()
    index = index[index < cur.size]
    counts = np.searchsorted(values, cur[index], side=side) / values.size
    if side == "right":
        return float(np.min(counts - (index + 1) / cur.size))
    return float(np.max(counts - index / cur.size))
