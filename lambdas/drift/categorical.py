"""Categorical features: counts per category against the reference's, unseen ones together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .ks import IntArray

UNSEEN = "__unseen__"
"""The bin that holds every category the reference never saw."""


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
