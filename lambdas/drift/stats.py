"""Drift statistics: two-sample Kolmogorov-Smirnov and the Population Stability Index.

Pure functions over numpy arrays and plain values; no I/O. `docs/monitoring.md` ("How drift is
computed") gives the formulas, the thresholds and why the decision is taken the way it is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

EXACT_MAX_N = 10_000
"""Largest sample size for which the KS p-value is exact, as `scipy.stats.ks_2samp`'s `auto`."""
PSI_BANDS = (0.1, 0.25)
"""The usual PSI bands: below 0.1 stable, 0.1-0.25 moderate, above 0.25 significant."""
UNSEEN = "__unseen__"
"""The bin that holds every category the reference never saw."""
FLOOR = 0.5
"""Pseudo-count added to every bin before shares are taken, so no share is ever zero."""


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


def ks_2samp(reference: npt.ArrayLike, current: npt.ArrayLike) -> KsResult:
    """Two-sided two-sample KS test of `current` against `reference`, sorting both."""
    return ks_sorted(sort_sample(reference), current)


@dataclass(frozen=True)
class SortedReference:
    """A reference sample sorted once, with its distinct values: KS's fast path."""

    values: FloatArray
    """The sample, sorted, without NaN."""
    distinct: FloatArray
    """Its distinct values, increasing."""
    at_or_below: IntArray
    """at_or_below[j] = number of values <= distinct[j - 1]; at_or_below[0] = 0."""

    @classmethod
    def of(cls, sorted_values: FloatArray) -> SortedReference:
        """Index an already sorted sample (see `sort_sample`)."""
        distinct, counts = _tie_ends(sorted_values)
        return cls(sorted_values, distinct, np.concatenate(([0], counts)))


def ks_sorted(reference: SortedReference | FloatArray, current: npt.ArrayLike) -> KsResult:
    """KS test against a reference sorted once (`sort_sample` or `SortedReference`).

    Raises:
        ValueError: when either sample is empty.
    """
    cur = sort_sample(current)
    n1, n2 = (
        (reference.values if isinstance(reference, SortedReference) else reference).size,
        cur.size,
    )
    if n1 == 0 or n2 == 0:
        raise ValueError(f"KS needs two non-empty samples, got {n1} and {n2} rows")
    if not isinstance(reference, SortedReference):
        reference = SortedReference.of(reference)
    d = ks_statistic_sorted(reference, cur)
    if max(n1, n2) <= EXACT_MAX_N:
        lattice, pvalue = _exact_pvalue(d, n1, n2)
        return KsResult(lattice, pvalue, "exact")
    return KsResult(d, _asymptotic_pvalue(d, n1, n2), "asymp")


def _tie_ends(sorted_values: FloatArray) -> tuple[FloatArray, IntArray]:
    """Distinct values of a sorted array and how many elements are <= each."""
    changes = sorted_values[1:] != sorted_values[:-1]
    if changes.all():  # no ties: every value is its own group
        return sorted_values, np.arange(1, sorted_values.size + 1, dtype=np.int64)
    counts = np.append(np.flatnonzero(changes) + 1, sorted_values.size).astype(np.int64)
    return sorted_values[counts - 1], counts


def _merge_ranks(distinct: FloatArray, keys: FloatArray) -> IntArray:
    """For sorted `keys`, how many of the sorted `distinct` values are <= each key.

    Equal to `searchsorted(distinct, keys, side="right")`, which is faster for fewer keys than
    values (measured: 1M values, up to 500k keys). With as many keys as values a stable sort
    of the two concatenated sorted runs wins: it is one linear merge, and it puts a reference
    value before an equal key, so the references before the k-th key are exactly those <= it.
    """
    if keys.size < distinct.size:
        return np.searchsorted(distinct, keys, side="right")
    order = np.argsort(np.concatenate((distinct, keys)), kind="stable")
    return np.flatnonzero(order >= distinct.size) - np.arange(keys.size)


def ks_statistic_sorted(ref: SortedReference, cur: FloatArray) -> float:
    """KS D of a reference and a sorted, non-empty sample, equal bit for bit to scipy's.

    F_ref - F_cur rises only at reference values and falls only at window values, so its
    minimum is at a window value and its maximum at the last reference value before a window
    value (or the last one of all). Both come from one merge, in O(window) work after it, and
    each candidate is computed with the same integers and divisions as scipy's.
    """
    n1, n2, ua = ref.values.size, cur.size, ref.distinct
    j = _merge_ranks(ua, cur)  # distinct reference values <= each window value
    # Within a run of tied window values only the last sees the run's full count; the others
    # read a larger F_ref - F_cur, which cannot lower the minimum, so ties need no pass.
    window_le = np.arange(1, n2 + 1, dtype=np.int64)
    min_s = float(np.clip(-np.min(ref.at_or_below[j] / n1 - window_le / n2), 0.0, 1.0))
    # below[k]: distinct reference values < cur[k]. Where it changes (k0), the reference value
    # just below cur[k0] has exactly k0 window values at or below it.
    below = j - ((j > 0) & (ua[np.maximum(j - 1, 0)] == cur))
    starts = np.concatenate(([0], np.flatnonzero(below[1:] != below[:-1]) + 1))
    at_starts = ref.at_or_below[below[starts]] / n1 - starts / n2
    last = float(ref.at_or_below[-1] / n1) - int(np.searchsorted(below, ua.size, side="left")) / n2
    return max(float(np.max(at_starts)), last, min_s)


def _exact_pvalue(d: float, n1: int, n2: int) -> tuple[float, float]:
    """D rounded to the lattice, as scipy does, and P(D >= d) by counting lattice paths.

    Counts the monotone paths from (0, 0) to (m, n) that stay strictly inside
    |i/m - j/n| < d; each row is a cumulative sum of the previous one over the row's
    admissible interval, rescaled to stay in floating-point range.
    """
    g = math.gcd(n1, n2)
    lcm = (n1 // g) * n2
    h = round(d * lcm)
    lattice = h / lcm
    if h == 0:
        return lattice, 1.0
    m, n = sorted((n1, n2))
    hg = h * g
    paths = np.zeros(n + 1)
    paths[: min(n, (hg - 1) // m) + 1] = 1.0
    log_scale = 0.0
    for i in range(1, m + 1):
        lo, hi = max(0, (i * n - hg) // m + 1), min(n, (i * n + hg - 1) // m)
        if lo > hi:
            return lattice, 1.0
        paths[:lo] = 0.0
        paths[hi + 1 :] = 0.0
        paths[lo : hi + 1] = np.cumsum(paths[lo : hi + 1])
        top = paths[hi]
        if top <= 0.0:
            return lattice, 1.0
        paths[lo : hi + 1] /= top
        log_scale += math.log(top)
    log_total = math.lgamma(m + n + 1) - math.lgamma(m + 1) - math.lgamma(n + 1)
    inside = paths[n] * math.exp(log_scale - log_total) if paths[n] > 0 else 0.0
    return lattice, min(1.0, max(0.0, 1.0 - inside))


def kolmogorov_sf(x: float) -> float:
    """Survival function of the Kolmogorov distribution, P(K > x)."""
    if x <= 0.0:
        return 1.0
    if x < 1.0:
        total = sum(math.exp(-((2 * k - 1) ** 2) * math.pi**2 / (8 * x * x)) for k in range(1, 8))
        return min(1.0, max(0.0, 1.0 - math.sqrt(2 * math.pi) / x * total))
    terms = ((2.0 if k % 2 else -2.0) * math.exp(-2.0 * k * k * x * x) for k in range(1, 101))
    return min(1.0, max(0.0, sum(terms)))


def _scaled_power(matrix: FloatArray, power: int) -> tuple[FloatArray, float]:
    """Raise `matrix` to `power` as (M, log s): the result is M * exp(log s), max abs of M 1."""
    result, log_result = np.eye(matrix.shape[0]), 0.0
    base, log_base = matrix, 0.0
    while power:
        if power & 1:
            result, log_result = result @ base, log_result + log_base
            top = float(np.abs(result).max())
            if top == 0.0:
                return result, 0.0
            result, log_result = result / top, log_result + math.log(top)
        power >>= 1
        if power:
            base, log_base = base @ base, 2.0 * log_base
            top = float(np.abs(base).max())
            if top == 0.0:
                return np.zeros_like(base), 0.0
            base, log_base = base / top, log_base + math.log(top)
    return result, log_result


def kstwo_sf(d: float, n: int) -> float:
    """P(D_n >= d) of the one-sample KS statistic (Marsaglia, Tsang and Wang's 2003 matrix)."""
    if d >= 1.0:
        return 0.0
    if d <= 0.5 / n:
        return 1.0
    k = int(n * d) + 1
    m, h = 2 * k - 1, k - n * d
    i = np.arange(m)
    lag = i[:, None] - i[None, :] + 1
    matrix = np.where(lag >= 0, 1.0, 0.0)
    matrix[:, 0] -= h ** (i + 1.0)
    matrix[m - 1, :] -= h ** (m - i + 0.0)
    if 2 * h - 1 > 0:
        matrix[m - 1, 0] += (2 * h - 1) ** m
    log_factorial = np.vectorize(math.lgamma)(np.maximum(lag, 0) + 1.0)
    matrix = np.where(lag > 0, matrix * np.exp(-log_factorial), matrix)
    power, log_scale = _scaled_power(matrix, n)
    entry = float(power[k - 1, k - 1])
    if entry <= 0.0:
        return 1.0
    cdf = math.exp(math.log(entry) + log_scale + math.lgamma(n + 1) - n * math.log(n))
    return min(1.0, max(0.0, 1.0 - cdf))


DURBIN_MAX_N = 2_000
"""Largest effective n for which the asymptotic branch uses the finite-n distribution."""


def _asymptotic_pvalue(d: float, n1: int, n2: int) -> float:
    """P-value of scipy's asymptotic branch: the one-sample distribution at n = round(en).

    en = n1 n2 / (n1 + n2). Up to n = 2,000 (and while sqrt(n) d <= 6) this is the finite-n
    distribution `kstwo_sf`, as scipy's `kstwo.sf(d, n)`; beyond, the Kolmogorov limit with
    Stephens' (1970) correction, within 2e-3 of scipy's value (see the tests).
    """
    n = round(n1 * n2 / (n1 + n2))
    root = math.sqrt(n)
    if n <= DURBIN_MAX_N and root * d <= 6.0:  # noqa: PLR2004 - beyond, p < 1e-30
        return kstwo_sf(d, n)
    return kolmogorov_sf((root + 0.12 + 0.11 / root) * d)


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


def category_counts(
    reference: Mapping[str, int], values: Sequence[str]
) -> tuple[list[str], IntArray, IntArray]:
    """Reference and current counts per category, with one extra bin for unseen categories."""
    labels = [*sorted(reference), UNSEEN]
    index = {label: i for i, label in enumerate(labels)}
    current = np.zeros(len(labels), dtype=np.int64)
    for value in values:
        current[index.get(value, len(labels) - 1)] += 1
    expected = np.array([reference[label] for label in labels[:-1]] + [0], dtype=np.int64)
    return labels, expected, current


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
