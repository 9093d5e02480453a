"""The reference profile: built from training data, written as JSON, parsed with clear errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mlops_platform.lambdas.drift import profile, psi


def test_profile_round_trips_through_json() -> None:
    rng = np.random.default_rng(5)
    ages = rng.normal(40, 10, size=5_000)
    built = profile.build_profile(
        {"age": ages, "country": ["DE"] * 70 + ["FR"] * 30},
        categorical=frozenset({"country"}), bins=10, sample_size=1_000,
    )  # fmt: skip
    parsed = profile.parse_profile(profile.to_json(built))
    age = parsed.features["age"]
    assert isinstance(age, profile.NumericReference)
    assert age.sample.size == 1_000
    assert np.all(np.diff(age.sample) >= 0)
    assert age.edges.tolist() == psi.quantile_edges(ages, 10).tolist()
    assert age.counts.sum() == 5_000
    assert age.counts.tolist() == [500] * 10
    country = parsed.features["country"]
    assert isinstance(country, profile.CategoricalReference)
    assert country.counts == {"DE": 70, "FR": 30}
    document = json.loads(profile.to_json(built))
    assert document["version"] == 1
    assert document["features"]["age"]["rows"] == 5_000


GOOD = {"kind": "numeric", "sample": [1.0, 2.0], "edges": [1.5], "counts": [1, 1]}


def _doc(**features: object) -> str:
    return json.dumps({"version": 1, "features": features})


BAD = [
    ("not json", "document: not JSON (Expecting value: line 1 column 1 (char 0))"),
    ("[1]", "document: must be a JSON object, got list"),
    (json.dumps({"version": 2, "features": {"x": GOOD}}), "version: must be 1, got 2"),
    (json.dumps({"version": 1, "features": {}}),
     "features: must be a non-empty object of feature name to reference"),
    (_doc(x={"kind": "text"}), "features.x.kind: must be 'numeric' or 'categorical', got 'text'"),
    (_doc(x=[1]), "features.x: must be an object"),
    (_doc(x={**GOOD, "sample": [2.0, 1.0]}),
     "features.x.sample: must be non-empty and sorted ascending"),
    (_doc(x={**GOOD, "sample": ["a"]}), "features.x.sample: must be a list of finite numbers"),
    (_doc(x={**GOOD, "edges": [2.0, 2.0], "counts": [1, 1, 1]}),
     "features.x.edges: must be strictly increasing"),
    (_doc(x={**GOOD, "counts": [1, 1, 1]}),
     "features.x.counts: must have len(edges) + 1 = 2 entries, got 3"),
    (_doc(x={**GOOD, "counts": [1.5, -1]}), "features.x.counts: must be whole numbers >= 0"),
    (_doc(c={"kind": "categorical", "counts": {"DE": -1}}),
     "features.c.counts: must be a non-empty object of category to count >= 0"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_profiles_are_refused_naming_the_field(text: str, message: str) -> None:
    with pytest.raises(profile.ProfileError) as caught:
        profile.parse_profile(text)
    assert caught.value.problems == (message,)


def test_every_problem_is_reported_at_once() -> None:
    text = json.dumps({"version": 0, "features": {"a": {"kind": "x"}, "b": 3}})
    with pytest.raises(profile.ProfileError) as caught:
        profile.parse_profile(text)
    assert caught.value.problems == (
        "version: must be 1, got 0",
        "features.a.kind: must be 'numeric' or 'categorical', got 'x'",
        "features.b: must be an object",
    )
    assert str(caught.value).startswith("drift profile is invalid (3 problems):\n  - version")
