"""Print the mutation score of a `mutmut run` and fail below 90 % killed (timeouts count as killed).

python bench/mutation_score.py mutants/mutmut-cicd-stats.json

Below the total it lists, per mutated module, how many mutants were caught and how many
survived or were never checked (from the `.meta` files mutmut writes beside each mutated
module), so a falling score points at the module that lost its guard.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

THRESHOLD = 0.9
"""The share of mutants the suite must kill."""

CAUGHT_EXIT_CODES = frozenset({1, 3, 36, 24, -24, 152, 255})
"""Exit codes mutmut 3 records for a killed mutant (test failure, pytest error) or a timeout."""


def per_module(mutants_dir: Path) -> list[tuple[str, int, int, int, int]]:
    """(module, caught, survived, not checked, total) of each mutated module in `mutants_dir`."""
    rows = []
    for meta in sorted(mutants_dir.rglob("*.py.meta")):
        codes = list(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"].values())
        if not codes:
            continue
        caught = sum(code in CAUGHT_EXIT_CODES for code in codes)
        survived = sum(code == 0 for code in codes)
        unchecked = sum(code is None for code in codes)
        module = str(meta.relative_to(mutants_dir)).removesuffix(".py.meta").replace("/", ".")
        rows.append((module, caught, survived, unchecked, len(codes)))
    return rows


def main(path: str) -> int:
    """Read mutmut's statistics, print the score, return 1 when it is below the threshold."""
    stats_file = Path(path)
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    caught, total = stats["killed"] + stats["timeout"], stats["total"]
    for module, hit, survived, unchecked, count in per_module(stats_file.parent):
        print(
            f"  {module}: {hit} of {count} caught ({100 * hit / count:.1f} %), "
            f"{survived} survived, {unchecked} not checked"
        )
    print(
        f"mutation score: {caught} of {total} mutants killed ({100 * caught / total:.1f} %), "
        f"{stats['survived']} survived, {total - caught - stats['survived']} not checked or "
        f"without tests (threshold {100 * THRESHOLD:.0f} %)"
    )
    return 1 if caught < THRESHOLD * total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
