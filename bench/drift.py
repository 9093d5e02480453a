"""How fast the drift statistics are next to scipy, and how much memory the handler needs.

One run measures, in interleaved rounds (so machine noise hits every contender alike):
KS on 1M vs 1M rows and on 1M vs 100k rows with `scipy.stats.ks_2samp`, with this module
sorting both samples, and with a reference sorted once; PSI on 1M rows; and, in a fresh
process, the drift handler's peak resident memory for a 1M-row capture window.

    .venv/bin/python bench/drift.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy import stats as sps  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mlops_platform.lambdas.drift import ks, psi  # noqa: E402

ROUNDS = 9


def timed(fn: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def rounds(contenders: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """Run every contender once per round, in turn, for ROUNDS rounds."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(ROUNDS):
        for name, fn in contenders.items():
            times[name].append(timed(fn))
    return times


def show(title: str, times: dict[str, list[float]], baseline: str) -> None:
    """Print median, spread (min-max) and speed-up against `baseline`.

    The speed-up is the median over rounds of baseline / contender within the same round,
    which a change of machine load between rounds does not bias.
    """
    print(f"\n{title} ({ROUNDS} interleaved rounds)")
    for name, values in times.items():
        median = statistics.median(values)
        ratio = statistics.median(b / v for b, v in zip(times[baseline], values, strict=True))
        print(f"  {name:<34} median {median * 1e3:8.1f} ms  [{min(values) * 1e3:7.1f} - "
              f"{max(values) * 1e3:7.1f}]  x{ratio:5.1f} vs {baseline}")  # fmt: skip


def bench_ks(n_current: int) -> None:
    """KS on 1M reference rows against `n_current` rows."""
    rng = np.random.default_rng(0)
    reference, current = rng.normal(size=1_000_000), rng.normal(0.01, size=n_current)
    sorted_reference = ks.SortedReference.of(ks.sort_sample(reference))
    assert ks.ks_2samp(reference, current).statistic == sps.ks_2samp(reference, current).statistic
    show(f"KS 1M vs {n_current:,}", rounds({
        "scipy.stats.ks_2samp": lambda: sps.ks_2samp(reference, current),
        "ks.ks_2samp (sorts both)": lambda: ks.ks_2samp(reference, current),
        "ks.ks_sorted (reference sorted)": lambda: ks.ks_sorted(sorted_reference, current),
    }), "scipy.stats.ks_2samp")  # fmt: skip


def bench_ks_identical() -> None:
    """KS of a sample against itself: every block is a candidate, the blocked search's worst."""
    reference = np.random.default_rng(4).normal(size=1_000_000)
    sorted_reference = ks.SortedReference.of(ks.sort_sample(reference))
    assert ks.ks_sorted(sorted_reference, reference).statistic == 0.0
    show("KS 1M vs the same 1M (worst case)", rounds({
        "scipy.stats.ks_2samp": lambda: sps.ks_2samp(reference, reference),
        "ks.ks_sorted (reference sorted)": lambda: ks.ks_sorted(sorted_reference, reference),
    }), "scipy.stats.ks_2samp")  # fmt: skip


def bench_psi() -> None:
    """PSI of 1M current rows on the reference's quantile bins."""
    rng = np.random.default_rng(1)
    reference, current = rng.normal(size=1_000_000), rng.normal(0.1, size=1_000_000)
    edges = psi.quantile_edges(reference, 10)
    counts = psi.bin_counts(edges, reference)
    show("PSI on 1M rows, 10 quantile bins", rounds({
        "bin_counts + psi": lambda: psi.psi(counts, psi.bin_counts(edges, current)),
    }), "bin_counts + psi")  # fmt: skip


CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from mlops_platform.lambdas.drift import handler

folder = Path(sys.argv[2])

class Body:
    def __init__(self, path): self.path = path
    def iter_lines(self):
        with open(self.path, "rb") as f:
            yield from f
    def read(self): return Path(self.path).read_bytes()

class Pages:
    def __init__(self, s3): self.s3 = s3
    def paginate(self, Bucket, Prefix, Delimiter=None):
        if Delimiter:
            return [{"CommonPrefixes": [{"Prefix": "cap/ep/AllTraffic/"}]}]
        keys = [p.name for p in folder.glob("*.jsonl")] if Prefix.endswith("/21/") else []
        return [{"Contents": [{"Key": Prefix + k} for k in keys]}]

class S3:
    def get_paginator(self, name): return Pages(self)
    def get_object(self, Bucket, Key):
        name = "profile.json" if Key == "profile.json" else Key.rsplit("/", 1)[1]
        return {"Body": Body(folder / name)}
    def put_object(self, **kwargs): pass

class CloudWatch:
    def put_metric_data(self, **kwargs): pass

handler.s3_client = lambda: S3()
handler.cloudwatch_client = lambda: CloudWatch()
def hwm():  # peak RSS of this process image in KiB (ru_maxrss survives exec, VmHWM does not)
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
before = hwm()
started = time.perf_counter()
summary = handler.handler({"time": "2026-12-01T22:00:00Z"}, None)
seconds = time.perf_counter() - started
after = hwm()
print(json.dumps({"before_mib": before / 1024, "peak_mib": after / 1024, "seconds": seconds,
                  "records": summary["records"], "status": summary["status"]}))
"""

TEMPLATE = (
    '{{"captureData":{{"endpointInput":{{"observedContentType":"text/csv","mode":"INPUT",'
    '"data":"{a:.4f},{c},{b:.4f}","encoding":"CSV"}},"endpointOutput":{{"observedContentType":'
    '"text/csv","mode":"OUTPUT","data":"{s:.4f}","encoding":"CSV"}}}},"eventMetadata":'
    '{{"eventId":"e{i}","inferenceTime":"2026-12-01T21:{m:02d}:{sec:02d}Z"}},"eventVersion":"0"}}\n'
)


def bench_handler_memory(rows: int = 1_000_000) -> None:
    """Peak RSS of a fresh process running the handler on a `rows`-row window."""
    from mlops_platform.lambdas.drift import profile  # noqa: PLC0415

    rng = np.random.default_rng(2)
    with tempfile.TemporaryDirectory() as folder:
        reference = profile.build_profile(
            {"a": rng.normal(size=200_000), "b": rng.exponential(size=200_000),
             "s": rng.uniform(size=200_000),
             "c": list(rng.choice(["DE", "FR", "IT"], size=200_000))},
            categorical=frozenset({"c"}),
        )  # fmt: skip
        Path(folder, "profile.json").write_text(profile.to_json(reference))
        a, b, s = rng.normal(0.1, size=rows), rng.exponential(size=rows), rng.uniform(size=rows)
        countries = rng.choice(["DE", "FR", "IT"], size=rows)
        per_file = 100_000
        for f in range(0, rows, per_file):
            with open(Path(folder, f"part-{f // per_file:03d}.jsonl"), "w") as out:
                out.writelines(
                    TEMPLATE.format(a=a[i], b=b[i], s=s[i], c=countries[i], i=i, m=(i * 60 // rows),
                                    sec=(i * 3600 // rows) % 60)
                    for i in range(f, min(rows, f + per_file))
                )  # fmt: skip
        features = [{"name": "a", "column": 0}, {"name": "c", "column": 1},
                    {"name": "b", "column": 2}, {"name": "s", "source": "output"}]  # fmt: skip
        env = {"DRIFT_ENDPOINT_NAME": "ep", "DRIFT_CAPTURE_BUCKET": "b",
               "DRIFT_CAPTURE_PREFIX": "cap", "DRIFT_PROFILE_URI": "s3://b/profile.json",
               "DRIFT_REPORT_BUCKET": "r",
               "DRIFT_FEATURES": json.dumps(features), "PATH": "/usr/bin:/bin"}  # fmt: skip
        result = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), folder], env=env,
                                check=True, capture_output=True, text=True)  # fmt: skip
    figures = json.loads(result.stdout)
    print(f"\nHandler on a {figures['records']:,}-record window (4 features, one process): "
          f"peak RSS {figures['peak_mib']:.0f} MiB ({figures['before_mib']:.0f} MiB after "
          f"imports), {figures['seconds']:.1f} s, status {figures['status']}")  # fmt: skip


def main() -> None:
    """Run every measurement once and print the figures."""
    print(f"numpy {np.__version__}, scipy {__import__('scipy').__version__}, python "
          f"{sys.version.split()[0]}")  # fmt: skip
    bench_ks(1_000_000)
    bench_ks(100_000)
    bench_ks_identical()
    bench_psi()
    bench_handler_memory()


if __name__ == "__main__":
    main()
