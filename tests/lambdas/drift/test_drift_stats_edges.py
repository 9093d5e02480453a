"""The drift statistics at their edges: boundaries, branch limits and every verdict field."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from mlops_platform.lambdas.drift import categorical, ks, ks_pvalue, psi, verdict

LIMITS = verdict.Thresholds(ks_d=0.1, ks_alpha=0.01, psi_band=0.1, psi_alpha=0.01, min_rows=4)


@pytest.mark.parametrize("x", [0.05, 0.3, 0.6, 0.9, 0.99, 1.0, 1.2, 1.8, 2.5])
def test_kolmogorov_sf_matches_scipy_on_both_series(x: float) -> None:
    assert ks_pvalue.kolmogorov_sf(x) == pytest.approx(sps.kstwobign.sf(x), rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("x", [0.0, -1.0])
def test_kolmogorov_sf_is_one_at_and_below_zero(x: float) -> None:
    assert ks_pvalue.kolmogorov_sf(x) == 1.0


@pytest.mark.parametrize(
    ("d", "n"),
    [(0.3, 5), (0.11, 10), (0.15, 10), (0.5, 3), (0.7, 3), (0.9, 2), (0.2, 40), (0.05, 400)],
)
def test_kstwo_sf_matches_scipy(d: float, n: int) -> None:
    assert ks_pvalue.kstwo_sf(d, n) == pytest.approx(sps.kstwo.sf(d, n), rel=1e-5, abs=1e-12)


@pytest.mark.parametrize(
    ("d", "n", "p"), [(1.0, 5, 0.0), (1.5, 5, 0.0), (0.1, 5, 1.0), (0.05, 5, 1.0)]
)
def test_kstwo_sf_at_its_limits(d: float, n: int, p: float) -> None:
    assert ks_pvalue.kstwo_sf(d, n) == p


SIZES = [(1, 1), (1, 4), (3, 3), (7, 3), (12, 9), (30, 45), (200, 150)]


@pytest.mark.parametrize(("n1", "n2"), SIZES)
def test_exact_pvalues_match_scipy_from_no_overlap_to_identical(n1: int, n2: int) -> None:
    rng = np.random.default_rng(n1 * 1000 + n2)
    reference = rng.normal(size=n1)
    for shift in (-9.0, -1.5, -0.6, -0.2, 0.0, 0.1, 0.4, 1.0, 9.0):
        current = rng.normal(size=n2) + shift
        ours = ks.ks_2samp(reference, current)
        theirs = sps.ks_2samp(reference, current, method="exact")
        assert ours.method == "exact"
        assert ours.statistic == pytest.approx(theirs.statistic, abs=1e-12)
        assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-6, abs=1e-12), (shift, n1, n2)
    same = ks.ks_2samp(reference, reference)
    assert (same.statistic, same.pvalue) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("n1", "n2", "shift"),
    [
        (10_001, 30, 0.3),
        (10_001, 60, 0.2),
        (20_000, 4_000, 0.03),
        (20_000, 4_000, 0.2),
        (30_000, 12_000, 0.02),
    ],
)
def test_asymptotic_pvalues_match_scipy_on_both_branches(n1: int, n2: int, shift: float) -> None:
    rng = np.random.default_rng(n2)
    reference, current = rng.normal(size=n1), rng.normal(size=n2) + shift
    ours = ks.ks_2samp(reference, current)
    theirs = sps.ks_2samp(reference, current, method="asymp")
    assert ours.method == "asymp"
    assert ours.statistic == pytest.approx(theirs.statistic, abs=1e-12)
    durbin = round(n1 * n2 / (n1 + n2)) <= ks_pvalue.DURBIN_MAX_N
    tolerance = {"rel": 1e-5, "abs": 1e-12} if durbin else {"abs": 2e-3}
    assert ours.pvalue == pytest.approx(theirs.pvalue, **tolerance)
    sorted_once = ks.ks_sorted(ks.SortedReference.of(ks.sort_sample(reference)), current)
    assert sorted_once == ours


def test_sort_sample_drops_nans_and_sorts_as_floats() -> None:
    assert ks.sort_sample([3, float("nan"), 1]).tolist() == [1.0, 3.0]
    assert ks.sort_sample([2, 1]).dtype == np.float64


def test_bin_counts_put_values_on_an_edge_in_the_upper_bin_and_keep_empty_bins() -> None:
    edges = np.array([1.0, 2.0, 3.0])
    counts = psi.bin_counts(edges, [0.5, 1.0, 1.0, float("nan")])
    assert counts.tolist() == [1, 2, 0, 0]


def test_category_counts_add_the_unseen_bin() -> None:
    labels, expected, current = categorical.category_counts({"b": 2, "a": 5}, ["a", "z", "z", "b"])
    assert labels == ["a", "b", categorical.UNSEEN]
    assert (expected.tolist(), current.tolist()) == ([5, 2, 0], [1, 1, 2])
    assert (expected.dtype, current.dtype) == (np.int64, np.int64)


def test_psi_floors_counts_and_compares_shares() -> None:
    e, a = np.array([0.5, 1.5]) / 2.0, np.array([2.5, 0.5]) / 3.0
    assert psi.psi([0, 1], [2, 0]) == pytest.approx(float(np.sum((a - e) * np.log(a / e))))
    assert psi.psi([10, 10], [1, 1]) == pytest.approx(0.0)


def test_expected_psi_and_threshold_follow_their_formulas() -> None:
    assert psi.expected_psi(10, 100, 50) == pytest.approx(9 * (1 / 100 + 1 / 50))
    scale = 1 / 1000 + 1 / 200
    assert psi.psi_threshold(10, 1000, 200, 0.01, 0.01) == pytest.approx(
        sps.chi2.ppf(0.99, 9) * scale, rel=0.02
    )
    assert psi.psi_threshold(2, 1000, 200, 0.001, 0.05) == pytest.approx(
        sps.chi2.ppf(0.95, 1) * scale, rel=1e-9
    )
    assert psi.psi_threshold(10, 10**9, 10**9, 0.1, 0.01) == 0.1


@pytest.mark.parametrize(("q", "dof"), [(0.95, 1), (0.99, 1), (0.9, 2), (0.99, 5)])
def test_chi2_quantile_matches_scipy(q: float, dof: int) -> None:
    assert psi.chi2_quantile(q, dof) == pytest.approx(
        sps.chi2.ppf(q, dof), rel=0.02 if dof > 2 else 1e-9
    )


@pytest.mark.parametrize(
    ("bins", "values", "edges"), [(2, [1.0, 2.0, 3.0], [2.0]), (3, [5.0], [5.0])]
)
def test_quantile_edges_of_the_smallest_inputs(
    bins: int, values: list[float], edges: list[float]
) -> None:
    assert psi.quantile_edges(values, bins).tolist() == edges


@pytest.mark.parametrize(("bins", "values"), [(1, [1.0, 2.0]), (2, []), (2, [float("inf")])])
def test_quantile_edges_refuse_what_cannot_be_split(bins: int, values: list[float]) -> None:
    with pytest.raises(ValueError, match="quantile bins need bins >= 2 and data"):
        psi.quantile_edges(values, bins)


def _numeric(values: list[float], limits: verdict.Thresholds = LIMITS) -> verdict.FeatureVerdict:
    reference = np.arange(100, dtype=float)
    edges = psi.quantile_edges(reference, 4)
    return verdict.assess_numeric(
        "age",
        sorted_sample=ks.sort_sample(reference),
        edges=edges,
        reference_counts=psi.bin_counts(edges, reference),
        values=values,
        limits=limits,
    )


def test_a_numeric_verdict_carries_every_statistic() -> None:
    values = [float(v) for v in range(0, 100, 10)]
    found = _numeric(values)
    expected_ks = ks.ks_2samp(np.arange(100, dtype=float), values)
    m, n = 100, 10
    assert found.as_dict() == {
        "feature": "age",
        "kind": "numeric",
        "status": "no_drift",
        "rows_reference": m,
        "rows_current": n,
        "bins": 4,
        "psi": found.psi,
        "psi_band": psi.psi_band(found.psi or 0.0),
        "psi_threshold": psi.psi_threshold(4, m, n, 0.1, 0.01),
        "psi_expected_no_drift": psi.expected_psi(4, m, n),
        "ks_d": expected_ks.statistic,
        "ks_p": expected_ks.pvalue,
        "ks_method": "exact",
    }
    assert found.psi == pytest.approx(psi.psi([25, 25, 25, 25], [3, 2, 3, 2]))


def test_a_window_of_exactly_min_rows_is_assessed_and_one_less_is_not() -> None:
    assert _numeric([1.0, 30.0, 60.0, 90.0]).status == "no_drift"
    short = _numeric([1.0, 30.0, 60.0])
    assert short.as_dict() == {
        "feature": "age",
        "kind": "numeric",
        "status": "insufficient_data",
        "rows_reference": 100,
        "rows_current": 3,
        "bins": 4,
    }


def test_either_test_alone_is_drift() -> None:
    shifted = [float(v) for v in range(50, 100, 2)]
    ks_only = verdict.Thresholds(min_rows=4, psi_band=100.0, ks_d=0.1, ks_alpha=0.5)
    psi_only = verdict.Thresholds(min_rows=4, psi_band=0.01, ks_d=1.0, ks_alpha=0.5)
    neither = verdict.Thresholds(min_rows=4, psi_band=100.0, ks_d=1.0, ks_alpha=0.5)
    assert _numeric(shifted, ks_only).status == "drift"
    assert _numeric(shifted, psi_only).status == "drift"
    assert _numeric(shifted, neither).status == "no_drift"


def test_ks_and_psi_count_from_their_limits_inclusive() -> None:
    shifted = [float(v) for v in range(50, 100, 2)]
    found = _numeric(shifted)
    assert found.ks is not None
    assert found.psi is not None
    d, p, value = found.ks.statistic, found.ks.pvalue, found.psi
    at_d = verdict.Thresholds(min_rows=4, psi_band=100.0, ks_d=d, ks_alpha=1.0)
    assert _numeric(shifted, at_d).status == "drift"
    at_p = verdict.Thresholds(min_rows=4, psi_band=100.0, ks_d=0.0, ks_alpha=p)
    assert _numeric(shifted, at_p).status == "no_drift", "p must be below alpha"
    at_psi = verdict.Thresholds(min_rows=4, psi_band=value, ks_d=1.0, psi_alpha=0.999999)
    assert _numeric(shifted, at_psi).status == "drift"


def test_a_categorical_verdict_carries_psi_and_its_limits() -> None:
    reference = {"DE": 60, "FR": 40}
    found = verdict.assess_categorical("country", reference, ["DE", "FR", "FR", "XX"], LIMITS)
    threshold = psi.psi_threshold(3, 100, 4, 0.1, 0.01)
    assert found.as_dict() == {
        "feature": "country",
        "kind": "categorical",
        "status": "drift" if (found.psi or 0.0) >= threshold else "no_drift",
        "rows_reference": 100,
        "rows_current": 4,
        "bins": 3,
        "psi": psi.psi([60, 40, 0], [1, 2, 1]),
        "psi_band": psi.psi_band(psi.psi([60, 40, 0], [1, 2, 1])),
        "psi_threshold": threshold,
        "psi_expected_no_drift": psi.expected_psi(3, 100, 4),
    }
    short = verdict.assess_categorical("country", reference, ["DE"] * 3, LIMITS)
    assert short.as_dict() == {
        "feature": "country",
        "kind": "categorical",
        "status": "insufficient_data",
        "rows_reference": 100,
        "rows_current": 3,
        "bins": 3,
    }
    assert verdict.assess_categorical("country", reference, ["DE"] * 4, LIMITS).status != (
        "insufficient_data"
    )


def test_a_categorical_psi_at_its_threshold_is_drift() -> None:
    reference = {"DE": 60, "FR": 40}
    values = ["FR"] * 8
    value = psi.psi([60, 40, 0], [0, 8, 0])
    at = verdict.Thresholds(min_rows=4, psi_band=value, psi_alpha=0.999999)
    assert verdict.assess_categorical("c", reference, values, at).status == "drift"
    above = verdict.Thresholds(min_rows=4, psi_band=value * 1.001, psi_alpha=0.999999)
    assert verdict.assess_categorical("c", reference, values, above).status == "no_drift"
