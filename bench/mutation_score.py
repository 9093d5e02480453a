"""Print the mutation score of a `mutmut run` and fail below 90 % killed (timeouts count as killed).

python bench/mutation_score.py mutants/mutmut-cicd-stats.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

THRESHOLD = 0.9
"""The share of mutants the suite must kill."""


def main(path: str) -> int:
    """Read mutmut's statistics, print the score, return 1 when it is below the threshold."""
    stats = json.loads(Path(path).read_text(encoding="utf-8"))
    caught, total = stats["killed"] + stats["timeout"], stats["total"]
    print(
        f"mutation score: {caught} of {total} mutants killed ({100 * caught / total:.1f} %), "
        f"{stats['survived']} survived"
    )
    return 1 if caught < THRESHOLD * total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
