"""The offline preview against its floors, per committed stack, with the policy check's share.

    python -m bench.preview [--rounds N] [--stacks S ...]     (make bench-preview)

For each stack, in interleaved rounds of fresh processes:
- `mlops preview --stack S --no-policy`, and the same with the policy check;
- the import floor: a process importing exactly the modules that preview loaded, running nothing;
- the bare-SDK replay of the plan's registrations (`bench/replay.py`).
Prints a Markdown table of CPU seconds (median, lowest-highest), the ratios the targets name,
wall-clock medians and peak memory.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/preview.py`, as `make bench` did
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    MLOPS,
    PYTHON,
    ROOT,
    Run,
    Series,
    interleaved,
    ratio,
    run_once,
    shown_ratio,
    table,
)

STACKS = ("dev", "staging", "prod", "all")


def variants(stack: str, scratch: Path, project: Path = ROOT) -> dict[str, Callable[[], Run]]:
    """The commands measured for one stack (`all`: every stack in one process)."""
    out = scratch / stack
    base = [*MLOPS, "preview", "--stack", stack, "--out", str(out), "--project-dir", str(project)]
    modules = scratch / f"{stack}.modules"
    subprocess.run(
        [PYTHON, "-m", "bench.modules", str(modules), *base[3:], "--no-policy"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    plans = sorted(out.glob("*.json"))
    found: dict[str, Callable[[], Run]] = {
        "preview": partial(run_once, [*base, "--no-policy"]),
        "preview + policy": partial(run_once, base),
        "import floor": partial(run_once, [PYTHON, "bench/floor.py", str(modules)]),
    }
    if len(plans) == 1:
        found["bare replay"] = partial(run_once, [PYTHON, "bench/replay.py", str(plans[0])])
    return found


def row(stack: str, series: dict[str, Series]) -> list[str]:
    """One line of the table: ratios are medians of same-round ratios."""
    preview, policy, floor = series["preview"], series["preview + policy"], series["import floor"]
    replay = series.get("bare replay")
    added = [100 * (value - 1) for value in ratio(policy, preview)]
    return [
        stack,
        preview.shown("cpu"),
        floor.shown("cpu"),
        shown_ratio(ratio(preview, floor)),
        shown_ratio(ratio(preview, replay), 1) if replay else "-",
        policy.shown("cpu"),
        f"{added[0]:+.0f} % ({added[1]:+.0f} to {added[2]:+.0f})",
        f"{preview.median('wall'):.2f} / {policy.median('wall'):.2f}",
        f"{preview.median('rss'):.0f} / {policy.median('rss'):.0f}",
    ]


HEADER = [
    "stack",
    "preview CPU s",
    "import floor CPU s",
    "preview / floor",
    "preview / bare replay",
    "with policy CPU s",
    "policy adds",
    "wall s (no policy / policy)",
    "peak MiB (no policy / policy)",
]


def main() -> None:
    """Measure every stack and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--stacks", nargs="+", default=list(STACKS))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for stack in args.stacks:
            measured = variants(stack, Path(scratch))
            series = interleaved(measured, args.rounds)
            rows.append(row(stack, series))
    print(f"CPU: median (lowest-highest) of {args.rounds} interleaved rounds, fresh processes")
    print(table(HEADER, rows))


if __name__ == "__main__":
    main()
