"""The policy check in this process against the Analyzer service, on ~130 and ~1,000 resources.

    python -m bench.policy [--rounds N]        (make bench-policy)

The plans: the committed prod stack (131 resources) and prod with 33 model endpoints (about
1,000). Per plan, in interleaved rounds of fresh processes: `mlops policy-check PLAN` (the rules
called in this process) and `mlops policy-check --via-analyzer PLAN` (the pack started as the
engine starts it, `Analyze` per resource and `AnalyzeStack` over gRPC: the engine's own path).
Before measuring, both must print exactly the same findings.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from functools import partial
from pathlib import Path

from bench.generated import with_endpoints, write_project
from bench.harness import MLOPS, ROOT, interleaved, run_once, table

LARGE_ENDPOINTS = 33


def plans(scratch: Path) -> dict[str, Path]:
    """The committed prod plan and the large generated one."""
    project = write_project(scratch / "project", {"prod": with_endpoints(LARGE_ENDPOINTS)})
    for directory, out in ((ROOT, "small"), (project, "large")):
        subprocess.run(
            [*MLOPS, "preview", "--stack", "prod", "--no-policy", "--project-dir", str(directory),
             "--out", str(scratch / out)],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
    return {"small": scratch / "small" / "prod.json", "large": scratch / "large" / "prod.json"}


def findings(plan: Path, *options: str) -> list[dict[str, str]]:
    """What `mlops policy-check` reports, as JSON."""
    done = subprocess.run(
        [*MLOPS, "policy-check", str(plan), "--format", "json", *options],
        cwd=ROOT, check=False, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    found: list[dict[str, str]] = json.loads(done.stdout)
    return found


def main() -> None:
    """Check parity, measure both paths on both plans, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for size, plan in plans(Path(scratch)).items():
            resources = len(json.loads(plan.read_text())["resources"])
            here, served = findings(plan), findings(plan, "--via-analyzer")
            if here != served:
                raise SystemExit(f"{size}: the two paths disagree:\n{here}\n{served}")
            command = [*MLOPS, "policy-check", str(plan)]
            series = interleaved(
                {
                    "in process": partial(run_once, command),
                    "analyzer": partial(run_once, [*command, "--via-analyzer"]),
                },
                args.rounds,
            )
            local, engine = series["in process"], series["analyzer"]
            rows.append(
                [str(resources), f"{len(here)} identical", local.shown("cpu"),
                 engine.shown("cpu"), f"{engine.median('cpu') / local.median('cpu'):.1f}x",
                 f"{local.median('wall'):.2f} / {engine.median('wall'):.2f}",
                 f"{local.median('rss'):.0f} / {engine.median('rss'):.0f}"]
            )  # fmt: skip
    print(f"CPU: median (lowest-highest) of {args.rounds} interleaved rounds, fresh processes")
    header = ["resources", "findings (both paths)", "in-process CPU s", "Analyzer CPU s",
              "Analyzer / in-process", "wall s (in-process / Analyzer)", "peak MiB"]  # fmt: skip
    print(table(header, rows))


if __name__ == "__main__":
    main()
