"""The reference profile: what the training data looked like, stored as JSON in S3.

Format (version 1)::

    {"version": 1,
     "features": {
       "age":     {"kind": "numeric", "rows": 120000, "sample": [18.0, 18.0, ...],
                   "edges": [23.0, 27.5, ...], "counts": [12011, 11987, ...]},
       "country": {"kind": "categorical", "rows": 120000, "counts": {"DE": 51234, "FR": 3120}}}}

`sample` is a sorted sample of the training values (all of them up to `sample_size`), used by
KS; `edges` are the inner quantile bin edges and `counts` the training rows per bin (one more
than the edges), used by PSI; `rows` is the number of training rows behind `counts`.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .ks import FloatArray, IntArray, sort_sample
from .psi import bin_counts, quantile_edges

VERSION = 1
"""The profile format this module writes and reads."""


class ProfileError(ValueError):
    """A profile that cannot be used; lists every problem found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        """Each problem as `field: what is wrong`."""
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"drift profile is invalid ({len(self.problems)} problems):\n{lines}")


@dataclass(frozen=True)
class NumericReference:
    """A numeric feature's reference: sorted sample for KS, quantile bins for PSI."""

    sample: FloatArray
    """Sorted reference values (no NaN)."""
    edges: FloatArray
    """Inner bin edges, strictly increasing."""
    counts: IntArray
    """Reference rows per bin; `len(edges) + 1` bins."""


@dataclass(frozen=True)
class CategoricalReference:
    """A categorical feature's reference: rows per category."""

    counts: dict[str, int]
    """Reference rows per category."""


Reference = NumericReference | CategoricalReference


@dataclass(frozen=True)
class Profile:
    """Every monitored feature's reference."""

    features: dict[str, Reference]
    """Reference per feature name (the prediction is a feature like any other)."""


def build_profile(
    columns: Mapping[str, Sequence[float] | Sequence[str] | npt.NDArray[np.float64]],
    categorical: frozenset[str] = frozenset(),
    bins: int = 10,
    sample_size: int = 100_000,
    seed: int = 0,
) -> Profile:
    """Build a profile from training columns; names in `categorical` are counted by category.

    A numeric column keeps a random sample of at most `sample_size` values for KS (all of
    them when it is smaller) and its full-data counts in `bins` quantile bins for PSI.
    """
    rng = np.random.default_rng(seed)
    features: dict[str, Reference] = {}
    for name, column in columns.items():
        if name in categorical:
            features[name] = CategoricalReference(dict(Counter(str(v) for v in column)))
            continue
        values = sort_sample(column)
        edges = quantile_edges(values, bins)
        if values.size > sample_size:
            values = np.sort(rng.choice(values, size=sample_size, replace=False))
        features[name] = NumericReference(values, edges, bin_counts(edges, column))
    return Profile(features)


def to_json(profile: Profile) -> str:
    """Serialise a profile in the version-1 format."""
    features: dict[str, object] = {}
    for name, ref in profile.features.items():
        if isinstance(ref, NumericReference):
            features[name] = {
                "kind": "numeric",
                "rows": int(ref.counts.sum()),
                "sample": ref.sample.tolist(),
                "edges": ref.edges.tolist(),
                "counts": ref.counts.tolist(),
            }
        else:
            rows = sum(ref.counts.values())
            features[name] = {"kind": "categorical", "rows": rows, "counts": ref.counts}
    return json.dumps({"version": VERSION, "features": features}, separators=(",", ":"))


def parse_profile(text: str | bytes) -> Profile:
    """Parse a version-1 profile.

    Raises:
        ProfileError: naming every field that is missing, of the wrong type or inconsistent.
    """
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ProfileError([f"document: not JSON ({error})"]) from None
    if not isinstance(document, dict):
        raise ProfileError([f"document: must be a JSON object, got {type(document).__name__}"])
    problems: list[str] = []
    if document.get("version") != VERSION:
        problems.append(f"version: must be {VERSION}, got {document.get('version')!r}")
    raw = document.get("features")
    if not isinstance(raw, dict) or not raw:
        problems.append("features: must be a non-empty object of feature name to reference")
        raise ProfileError(problems)
    features: dict[str, Reference] = {}
    for name, spec in raw.items():
        ref = _parse_feature(f"features.{name}", spec, problems)
        if ref is not None:
            features[name] = ref
    if problems:
        raise ProfileError(problems)
    return Profile(features)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _numbers(field: str, value: object, problems: list[str]) -> list[float] | None:
    if not isinstance(value, list) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value
    ):
        problems.append(f"{field}: must be a list of finite numbers")
        return None
    return [float(v) for v in value]


def _parse_feature(field: str, spec: object, problems: list[str]) -> Reference | None:
    if not isinstance(spec, dict):
        problems.append(f"{field}: must be an object")
        return None
    kind = spec.get("kind")
    if kind == "categorical":
        counts = spec.get("counts")
        if (
            not isinstance(counts, dict)
            or not counts
            or not all(
                isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in counts.values()
            )
        ):
            problems.append(f"{field}.counts: must be a non-empty object of category to count >= 0")
            return None
        return CategoricalReference({str(k): int(c) for k, c in counts.items()})
    if kind != "numeric":
        problems.append(f"{field}.kind: must be 'numeric' or 'categorical', got {kind!r}")
        return None
    return _parse_numeric(field, spec, problems)


def _parse_numeric(field: str, spec: dict[str, object], problems: list[str]) -> Reference | None:
    before = len(problems)
    sample = _numbers(f"{field}.sample", spec.get("sample"), problems)
    edges = _numbers(f"{field}.edges", spec.get("edges"), problems)
    counts = _numbers(f"{field}.counts", spec.get("counts"), problems)
    if sample is not None and (not sample or any(b < a for a, b in itertools.pairwise(sample))):
        problems.append(f"{field}.sample: must be non-empty and sorted ascending")
    if edges is not None and any(b <= a for a, b in itertools.pairwise(edges)):
        problems.append(f"{field}.edges: must be strictly increasing")
    if edges is not None and counts is not None and len(counts) != len(edges) + 1:
        problems.append(
            f"{field}.counts: must have len(edges) + 1 = {len(edges) + 1} entries,"
            f" got {len(counts)}"
        )
    if counts is not None and any(c < 0 or c != int(c) for c in counts):
        problems.append(f"{field}.counts: must be whole numbers >= 0")
    if len(problems) > before or sample is None or edges is None or counts is None:
        return None
    return NumericReference(
        np.asarray(sample, dtype=np.float64),
        np.asarray(edges, dtype=np.float64),
        np.asarray(counts, dtype=np.int64),
    )
