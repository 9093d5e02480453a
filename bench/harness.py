"""Measure commands side by side: fresh processes, interleaved rounds, medians and spreads.

Every round runs each variant once, in turn, so that a slow moment of the machine hits all of
them alike; a variant's figure is the median over rounds, its spread the lowest and highest.
CPU is user plus system time of the process and of the children it waited for (`wait4`), so
it stays meaningful on a busy machine where wall-clock time does not.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MLOPS = [PYTHON, "-m", "mlops_platform"]


@dataclass(frozen=True)
class Run:
    """One process: wall and CPU seconds, peak resident memory in MiB."""

    wall: float
    cpu: float
    rss: float


@dataclass
class Series:
    """Every run of one variant."""

    runs: list[Run] = field(default_factory=list)

    def median(self, what: str) -> float:
        """The median of `wall`, `cpu` or `rss`."""
        return float(statistics.median(getattr(run, what) for run in self.runs))

    def spread(self, what: str) -> tuple[float, float]:
        """The lowest and highest of `wall`, `cpu` or `rss`."""
        values = [getattr(run, what) for run in self.runs]
        return min(values), max(values)

    def shown(self, what: str, digits: int = 2) -> str:
        """`1.23 (1.20-1.31)`."""
        low, high = self.spread(what)
        return f"{self.median(what):.{digits}f} ({low:.{digits}f}-{high:.{digits}f})"


def run_once(command: Sequence[str], cwd: Path = ROOT, env: Mapping[str, str] | None = None) -> Run:
    """Run `command` in a fresh process; fail loudly when it fails."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # 1: the policy check found something, still measured
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{errors.decode()}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def ratio(numerator: Series, denominator: Series, what: str = "cpu") -> tuple[float, float, float]:
    """Median, lowest and highest of the same-round ratios: a slow round slows both alike."""
    values = [
        getattr(a, what) / getattr(b, what)
        for a, b in zip(numerator.runs, denominator.runs, strict=True)
    ]
    return float(statistics.median(values)), min(values), max(values)


def shown_ratio(values: tuple[float, float, float], digits: int = 2) -> str:
    """`1.08x (1.02-1.15)`."""
    median, low, high = values
    return f"{median:.{digits}f}x ({low:.{digits}f}-{high:.{digits}f})"


def interleaved(
    variants: Mapping[str, Callable[[], Run]], rounds: int, *, warmup: bool = True
) -> dict[str, Series]:
    """Run every variant once per round, in turn; a first unrecorded round warms the caches."""
    if warmup:
        for measure in variants.values():
            measure()
    results = {name: Series() for name in variants}
    for _ in range(rounds):
        for name, measure in variants.items():
            results[name].runs.append(measure())
    return results


def fit_power(sizes: Sequence[float], seconds: Sequence[float]) -> tuple[float, float, float]:
    """Fit `seconds = a + b * size**k`: least squares in a and b for each k on a fine grid.

    Returns (a, b, k): the fixed cost, the cost per unit at k = 1, and the growth exponent.
    """
    best: tuple[float, float, float, float] | None = None
    for step in range(0, 801):
        k = 0.7 + step * 0.001
        xs = [size**k for size in sizes]
        a, b = _line(xs, seconds)
        error = sum((a + b * x - y) ** 2 for x, y in zip(xs, seconds, strict=True))
        if best is None or error < best[3]:
            best = (a, b, k, error)
    assert best is not None
    return best[0], best[1], best[2]


def fit_line(sizes: Sequence[float], seconds: Sequence[float]) -> tuple[float, float]:
    """Least-squares `seconds = a + b * size`: the fixed cost and the cost per unit."""
    return _line(list(sizes), list(seconds))


def _line(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return mean_y - slope * mean_x, slope


def log_slope(sizes: Sequence[float], seconds: Sequence[float]) -> float:
    """The slope of log(seconds) over log(size): the exponent of the whole curve."""
    return _line([math.log(s) for s in sizes], [math.log(t) for t in seconds])[1]


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
