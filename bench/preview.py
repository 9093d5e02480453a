"""How long `mlops preview` takes per stack, and how much memory it needs.

Each run is a fresh process (imports included, as a user or CI sees it); the figure is the
median of several runs, with the peak resident memory of the largest one.

    make bench
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def measure(stack: str) -> tuple[float, float]:
    """Median wall-clock seconds and peak RSS in MiB of previewing `stack` in a new process."""
    seconds = []
    peak_kib = 0
    with tempfile.TemporaryDirectory() as out:
        for _ in range(RUNS):
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "mlops_platform", "preview", "--stack", stack,
                 "--out", out],
                cwd=ROOT, check=True, capture_output=True,
            )  # fmt: skip
            seconds.append(time.perf_counter() - started)
            peak_kib = max(peak_kib, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return statistics.median(seconds), peak_kib / 1024


def main() -> None:
    """Print a Markdown table of the figures, ready for the README."""
    print("| stack | median seconds (5 runs) | peak memory (MiB) |")
    print("|---|---|---|")
    for stack in ("dev", "staging", "prod", "all"):
        seconds, mebibytes = measure(stack)
        print(f"| {stack} | {seconds:.2f} | {mebibytes:.0f} |")


if __name__ == "__main__":
    main()
