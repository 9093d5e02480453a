"""P-values of the two-sample KS statistic, as `scipy.stats.ks_2samp` computes them.

Exact by counting lattice paths for small samples; otherwise scipy's asymptotic branch, the
one-sample distribution at the effective sample size (finite-n up to 2,000, then the
Kolmogorov limit with Stephens' correction).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def exact_pvalue(d: float, n1: int, n2: int) -> tuple[float, float]:
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


def asymptotic_pvalue(d: float, n1: int, n2: int) -> float:
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
