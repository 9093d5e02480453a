"""The gate's decision at its edges: exact thresholds, what criteria are read, every reason."""

from __future__ import annotations

import pytest

from mlops_platform.lambdas.common.events import Reader
from mlops_platform.lambdas.gate.decide import Criteria, Guard, Objective, decide

AUC = Criteria((Objective("auc", "higher", min_absolute=0.25),))
"""Binary fractions, so the edge cases below are exact in floating point."""


def read(criteria: dict[str, object]) -> Criteria:
    """Criteria read from plain values, as the gate handler reads them."""
    reader = Reader("criteria", criteria)
    return reader.done(Criteria.read(reader))


def test_criteria_read_every_field_into_its_own_place() -> None:
    criteria = read(
        {
            "objectives": [
                {"metric": "auc", "direction": "higher", "min_absolute": 0.5, "min_relative": 0.25}
            ],
            "guards": [
                {"metric": "latency", "direction": "lower", "max_worsening_relative": 0.125}
            ],
        }
    )
    assert criteria == Criteria(
        (Objective("auc", "higher", min_absolute=0.5, min_relative=0.25),),
        (Guard("latency", "lower", 0.125),),
    )


def test_criteria_minimums_default_to_zero() -> None:
    criteria = read({"objectives": [{"metric": "auc", "direction": "lower"}]})
    assert criteria == Criteria((Objective("auc", "lower", 0.0, 0.0),), ())


@pytest.mark.parametrize(
    ("challenger", "accept", "word"),
    [(1.25, True, "improves"), (1.125, False, "does not improve enough")],
)
def test_a_gain_of_exactly_the_minimum_is_enough(
    challenger: float, accept: bool, word: str
) -> None:
    decision = decide({"auc": 1.0}, {"auc": challenger}, AUC)
    assert decision.accept is accept
    gain = challenger - 1.0
    assert decision.reasons == (
        f"auc: 1.0 -> {challenger} (higher is better) {word}: gain {gain:.6g}, needed 0.25",
    )


@pytest.mark.parametrize(
    ("latency", "accept", "word", "shown"),
    [(9.0, True, "within", "1"), (10.0, False, "beyond", "2"), (7.0, True, "within", "0")],
)
def test_a_guard_allows_exactly_its_worsening(
    latency: float, accept: bool, word: str, shown: str
) -> None:
    """A champion at 8 ms with 12.5 % allowed: 9 ms is exactly 1 ms worse and passes; an
    improvement (7 ms) reads as a worsening of 0."""
    criteria = Criteria((Objective("auc", "higher"),), (Guard("latency", "lower", 0.125),))
    decision = decide({"auc": 0.5, "latency": 8.0}, {"auc": 0.5, "latency": latency}, criteria)
    assert decision.accept is accept
    assert decision.reasons[1] == (
        f"latency: 8.0 -> {latency} worsens by {shown}, {word} the allowed 1"
    )


def test_a_higher_is_better_guard_counts_a_drop_as_worsening() -> None:
    criteria = Criteria((Objective("auc", "higher"),), (Guard("recall", "higher", 0.125),))
    decision = decide({"auc": 0.5, "recall": 8.0}, {"auc": 0.5, "recall": 6.0}, criteria)
    assert not decision.accept
    assert decision.reasons[1] == "recall: 8.0 -> 6.0 worsens by 2, beyond the allowed 1"


@pytest.mark.parametrize(
    ("champion", "challenger"),
    [({"auc": 0.5}, {"auc": 0.75, "latency": 8.0}), ({"auc": 0.5, "latency": 8.0}, {"auc": 0.75})],
)
def test_a_guard_missing_on_either_side_rejects(
    champion: dict[str, float], challenger: dict[str, float]
) -> None:
    criteria = Criteria((Objective("auc", "higher"),), (Guard("latency", "lower", 0.5),))
    decision = decide(champion, challenger, criteria)
    assert not decision.accept
    assert "latency: guard cannot be checked (missing on one side)" in decision.reasons


def test_the_first_model_says_why_it_is_accepted() -> None:
    assert decide(None, {"auc": 0.1}, AUC).reasons == ("no champion serving: first model",)
