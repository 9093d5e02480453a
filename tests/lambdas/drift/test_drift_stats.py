"""The drift statistics against scipy, and the two counter-examples of the drift issue."""

from __future__ import annotations

import warnings
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from mlops_platform.lambdas.drift import categorical, ks, ks_pvalue, psi, verdict

RNG = np.random.default_rng(20261201)


def _case(name: str) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    cases = {
        "tiny": (np.array([1.0, 2.0, 3.0]), np.array([2.5])),
        "single-each": (np.array([1.0]), np.array([1.0])),
        "ties-integers": (
            rng.integers(0, 5, 60).astype(float),
            rng.integers(0, 6, 45).astype(float),
        ),
        "identical": (np.arange(50.0), np.arange(50.0)),
        "all-equal": (np.ones(30), np.ones(12)),
        "disjoint": (rng.normal(size=40), rng.normal(size=25) + 100.0),
        "equal-sizes": (rng.normal(size=500), rng.normal(0.1, size=500)),
        "exact-limit": (rng.normal(size=10_000), rng.normal(0.03, size=7_000)),
        "asymp-ties": (
            rng.integers(0, 40, 30_000).astype(float),
            rng.integers(0, 40, 20_000) + 0.0,
        ),
        "huge": (rng.normal(size=400_000), rng.normal(0.01, size=300_000)),
        "huge-vs-small": (rng.normal(size=200_000), rng.normal(0.2, size=80)),
    }
    return cases[name]


CASES = ["tiny", "single-each", "ties-integers", "identical", "all-equal", "disjoint",
         "equal-sizes", "exact-limit", "asymp-ties", "huge", "huge-vs-small"]  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_ks_matches_scipy(name: str) -> None:
    reference, current = _case(name)
    expected = sps.ks_2samp(reference, current)
    got = ks.ks_2samp(reference, current)
    assert got.statistic == expected.statistic
    if got.method == "exact":
        assert got.pvalue == pytest.approx(expected.pvalue, rel=1e-7, abs=1e-12)
    else:
        assert max(len(reference), len(current)) > ks.EXACT_MAX_N
        n = round(len(reference) * len(current) / (len(reference) + len(current)))
        tolerance = 1e-6 if n <= ks_pvalue.DURBIN_MAX_N else 2e-3
        assert got.pvalue == pytest.approx(expected.pvalue, abs=tolerance)


@pytest.mark.parametrize(("d", "n"), [(0.15, 80), (0.3, 10), (0.5, 1), (0.004, 100), (0.9, 3),
                                      (0.03, 2000), (0.2, 500), (1.0, 7)])  # fmt: skip
def test_kstwo_sf_matches_scipy(d: float, n: int) -> None:
    # scipy switches algorithm above n = 140; the two agree to 1e-7 there.
    assert ks_pvalue.kstwo_sf(d, n) == pytest.approx(sps.kstwo.sf(d, n), rel=1e-6, abs=1e-7)


def test_ks_against_a_reference_sorted_once_equals_the_plain_test() -> None:
    reference, current = _case("asymp-ties")
    assert ks.ks_sorted(ks.sort_sample(reference), current) == ks.ks_2samp(reference, current)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(-6, 6), min_size=1, max_size=60),
    st.lists(st.integers(-6, 6), min_size=1, max_size=60),
    st.floats(0.25, 4.0),
)
def test_ks_matches_scipy_on_any_tied_samples(a: list[int], b: list[int], scale: float) -> None:
    reference, current = np.array(a) * scale, np.array(b) * scale
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        expected = sps.ks_2samp(reference, current)
    got = ks.ks_2samp(reference, current)
    assert got.statistic == expected.statistic
    if caught:  # scipy's exact count overflowed and it fell back to its asymptotic formula
        return
    assert got.pvalue == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-12)


def _many_blocks(kind: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n1, n2 = (int(n) for n in rng.integers(ks.BLOCK, 40 * ks.BLOCK, size=2))
    if kind == "shift":
        return rng.normal(size=n1), rng.normal(rng.uniform(-0.2, 0.2), size=n2)
    if kind == "ties":
        return rng.integers(0, 9, n1) * 0.5, rng.integers(0, int(rng.integers(2, 11)), n2) * 0.5
    if kind == "resampled":
        reference = rng.normal(size=n1)
        return reference, rng.choice(reference, n2)
    reference = rng.integers(0, 50, n1) * 1.0
    return reference, reference.copy()  # identical: every block is a candidate


@pytest.mark.parametrize("kind", ["shift", "ties", "resampled", "identical"])
@pytest.mark.parametrize("seed", range(5))
def test_the_blocked_search_finds_scipys_d_across_many_blocks(kind: str, seed: int) -> None:
    reference, current = _many_blocks(kind, np.random.default_rng(seed))
    expected = sps.ks_2samp(reference, current, method="asymp").statistic
    got = ks.ks_statistic_sorted(ks.SortedReference(np.sort(reference)), np.sort(current))
    assert got == expected


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=200), st.integers(0, 2**32 - 1))
def test_ks_is_symmetric_and_bounded(a: list[float], seed: int) -> None:
    b = np.random.default_rng(seed).normal(size=37)
    forward, backward = ks.ks_2samp(a, b), ks.ks_2samp(b, a)
    assert forward.statistic == backward.statistic
    assert 0.0 <= forward.statistic <= 1.0
    assert 0.0 <= forward.pvalue <= 1.0


def test_ks_refuses_an_empty_sample() -> None:
    with pytest.raises(ValueError, match="KS needs two non-empty samples, got 3 and 0 rows"):
        ks.ks_2samp([1.0, 2.0, 3.0], [float("nan")])


@pytest.mark.parametrize("x", [0.05, 0.3, 0.8, 1.0, 1.36, 2.0, 3.5])
def test_kolmogorov_sf_matches_scipy(x: float) -> None:
    assert ks_pvalue.kolmogorov_sf(x) == pytest.approx(sps.kstwobign.sf(x), abs=1e-12)


@pytest.mark.parametrize("dof", [1, 2, 4, 9, 19, 49])
@pytest.mark.parametrize("q", [0.95, 0.99, 0.999])
def test_chi2_quantile_is_within_two_percent_of_scipy(dof: int, q: float) -> None:
    assert psi.chi2_quantile(q, dof) == pytest.approx(sps.chi2.ppf(q, dof), rel=0.02)


def test_psi_formula_with_floored_empty_bin() -> None:
    expected, actual = np.array([50, 30, 20, 0]), np.array([40, 40, 10, 10])
    e = (expected + 0.5) / (expected + 0.5).sum()
    a = (actual + 0.5) / (actual + 0.5).sum()
    assert psi.psi(expected, actual) == pytest.approx(float(np.sum((a - e) * np.log(a / e))))
    assert psi.psi(expected, expected) == 0.0


def _equal_width_psi(reference: np.ndarray, current: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(min(reference.min(), current.min()), max(reference.max(), current.max()),
                        bins + 1)  # fmt: skip
    return psi.psi(np.histogram(reference, edges)[0], np.histogram(current, edges)[0])


def _quantile_psi(reference: np.ndarray, current: np.ndarray, bins: int = 10) -> float:
    edges = psi.quantile_edges(reference, bins)
    return psi.psi(psi.bin_counts(edges, reference), psi.bin_counts(edges, current))


def test_one_outlier_hides_a_half_sigma_shift_from_equal_width_bins_only() -> None:
    rng = np.random.default_rng(7)
    reference, current = rng.normal(size=100_000), rng.normal(0.5, size=100_000)
    with_outlier = np.append(current, 1e6)
    assert _equal_width_psi(reference, current) > 0.2
    assert _equal_width_psi(reference, with_outlier) < 0.1
    assert _quantile_psi(reference, current) > 0.2
    assert _quantile_psi(reference, with_outlier) == pytest.approx(
        _quantile_psi(reference, current), abs=1e-3
    )


def test_size_aware_psi_threshold_stops_false_alarms_on_small_windows() -> None:
    rng = np.random.default_rng(11)
    reference = rng.normal(size=10_000)
    edges = psi.quantile_edges(reference, 10)
    ref_counts = psi.bin_counts(edges, reference)
    threshold = psi.psi_threshold(10, 10_000, 100, band=0.1, alpha=0.01)
    trials = [psi.psi(ref_counts, psi.bin_counts(edges, rng.normal(size=100)))
              for _ in range(400)]  # fmt: skip
    naive = np.mean([value >= 0.1 for value in trials])
    aware = np.mean([value >= threshold for value in trials])
    assert 0.3 <= naive <= 0.55
    assert aware <= 0.03
    assert psi.expected_psi(10, 10_000, 100) == pytest.approx(np.mean(trials), rel=0.25)


def test_size_aware_psi_threshold_is_the_band_for_large_windows() -> None:
    assert psi.psi_threshold(10, 1_000_000, 1_000_000, band=0.1, alpha=0.01) == 0.1
    small = psi.psi_threshold(10, 10_000, 100, band=0.1, alpha=0.01)
    assert small == pytest.approx(sps.chi2.ppf(0.99, 9) * (1 / 10_000 + 1 / 100), rel=0.02)


BANDS = [(0.0, "stable"), (0.099, "stable"), (0.1, "moderate"), (0.2499, "moderate"),
         (0.25, "significant")]  # fmt: skip


@pytest.mark.parametrize(("value", "band"), BANDS)
def test_psi_bands(value: float, band: str) -> None:
    assert psi.psi_band(value) == band


def test_quantile_edges_drop_duplicate_edges_of_a_point_mass() -> None:
    edges = psi.quantile_edges(np.r_[np.zeros(800), np.arange(1.0, 201.0)], 10)
    assert list(edges) == sorted(set(edges))
    assert edges[0] == 0.0
    assert len(edges) < 9


def _numeric(reference: np.ndarray, current: np.ndarray, **limits: float) -> verdict.FeatureVerdict:
    edges = psi.quantile_edges(reference, 10)
    return verdict.assess_numeric(
        "x", sorted_sample=ks.sort_sample(reference), edges=edges,
        reference_counts=psi.bin_counts(edges, reference), values=current,
        limits=verdict.Thresholds(**limits),  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_shift_is_drift_and_no_shift_is_not() -> None:
    reference = RNG.normal(size=20_000)
    assert _numeric(reference, RNG.normal(0.5, size=2_000)).status == "drift"
    assert _numeric(reference, RNG.normal(size=2_000)).status == "no_drift"


def test_tiny_shift_on_a_million_rows_is_significant_but_not_drift() -> None:
    rng = np.random.default_rng(3)
    judged = _numeric(rng.normal(size=1_000_000), rng.normal(0.02, size=1_000_000))
    assert judged.ks is not None
    assert judged.ks.pvalue < 1e-7
    assert judged.ks.statistic < 0.1
    assert judged.status == "no_drift"


def test_a_window_below_min_rows_is_insufficient_data() -> None:
    judged = _numeric(RNG.normal(size=1_000), RNG.normal(5.0, size=99), min_rows=100)
    assert judged.status == "insufficient_data"
    assert judged.as_dict() == {
        "feature": "x", "kind": "numeric", "status": "insufficient_data",
        "rows_reference": 1_000, "rows_current": 99, "bins": 10,
    }  # fmt: skip


def test_categorical_shares_and_unseen_categories() -> None:
    reference = {"DE": 600, "FR": 300, "IT": 100}
    same = ["DE"] * 60 + ["FR"] * 30 + ["IT"] * 10
    labels, expected, actual = categorical.category_counts(reference, [*same, "ES", "PT"])
    assert labels == ["DE", "FR", "IT", categorical.UNSEEN]
    assert expected.tolist() == [600, 300, 100, 0]
    assert actual.tolist() == [60, 30, 10, 2]
    limits = verdict.Thresholds(min_rows=50)
    assert verdict.assess_categorical("c", reference, same, limits).status == "no_drift"
    novel = ["ES"] * 40 + same[:60]
    drifted = verdict.assess_categorical("c", reference, novel, limits)
    assert drifted.status == "drift"
    assert drifted.as_dict()["psi_band"] == "significant"
    short = verdict.assess_categorical("c", reference, same[:49], limits)
    assert short.status == "insufficient_data"


def test_quantile_edges_ignore_infinite_values() -> None:
    edges = psi.quantile_edges([1.0, 2.0, 3.0, np.inf, -np.inf, 4.0, 5.0], 4)
    assert edges.tolist() == [2.0, 3.0, 4.0]
    assert psi.bin_counts(edges, [np.inf, -np.inf, np.nan]).tolist() == [1, 0, 0, 1]
