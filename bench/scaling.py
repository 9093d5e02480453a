"""How the preview grows with the stack: generated stacks of 1 to 50 endpoints, or services.

    python -m bench.scaling [--rounds N] [--kind endpoints|services ...]   (make bench-scaling)

Each size is prod's config with N copies of its model endpoint (or of its first model service),
in a temporary project running this repository's program. Per size, in interleaved rounds of
fresh processes: `mlops preview --no-policy` and the bare-SDK replay of its plan. Fitted on CPU
medians against the resource count: the fixed cost and per-resource cost of a straight line,
and the exponent k of `a + b * resources**k`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.generated import with_endpoints, with_services, write_project
from bench.harness import (
    MLOPS,
    PYTHON,
    Run,
    Series,
    fit_line,
    fit_power,
    interleaved,
    run_once,
    table,
)

SIZES = (1, 5, 10, 25, 50)
KINDS: dict[str, Callable[[int], dict[str, Any]]] = {
    "endpoints": with_endpoints,
    "services": with_services,
}


def measure(kind: str, rounds: int, scratch: Path) -> list[tuple[int, int, Series, Series]]:
    """(size, resources, preview, replay) for every size of one kind."""
    stacks = {f"{kind}-{size}": KINDS[kind](size) for size in SIZES}
    project = write_project(scratch / kind, stacks)
    variants: dict[str, Callable[[], Run]] = {}
    plans = {}
    for stack in stacks:
        command = [*MLOPS, "preview", "--stack", stack, "--no-policy", "--project-dir",
                   str(project), "--out", str(scratch / "plans")]  # fmt: skip
        run_once(command)  # the plan for the replay, and a warm-up
        plans[stack] = scratch / "plans" / f"{stack}.json"
        variants[stack] = partial(run_once, command)
        variants[f"{stack} replay"] = partial(
            run_once, [PYTHON, "bench/replay.py", str(plans[stack])]
        )
    series = interleaved(variants, rounds, warmup=False)
    found = []
    for size, stack in zip(SIZES, stacks, strict=True):
        resources = len(json.loads(plans[stack].read_text())["resources"])
        found.append((size, resources, series[stack], series[f"{stack} replay"]))
    return found


def report(kind: str, found: list[tuple[int, int, Series, Series]]) -> str:
    """The table of one kind, and the fitted figures below it."""
    rows = [
        [str(size), str(resources), preview.shown("cpu"), replay.shown("cpu"),
         f"{preview.median('wall'):.2f}", f"{preview.median('rss'):.0f}"]
        for size, resources, preview, replay in found
    ]  # fmt: skip
    header = [kind, "resources", "preview CPU s", "bare replay CPU s", "wall s", "peak MiB"]
    sizes = [float(resources) for _, resources, _, _ in found]
    preview_cpu = [preview.median("cpu") for _, _, preview, _ in found]
    replay_cpu = [replay.median("cpu") for _, _, _, replay in found]
    fixed, per_resource = fit_line(sizes, preview_cpu)
    replay_fixed, replay_per = fit_line(sizes, replay_cpu)
    _, _, exponent = fit_power(sizes, preview_cpu)
    _, _, replay_exponent = fit_power(sizes, replay_cpu)
    return "\n".join(
        [
            table(header, rows),
            "",
            f"- preview: fixed {fixed:.2f} s, {1000 * per_resource:.2f} ms per resource, "
            f"growth exponent {exponent:.3f}",
            f"- bare replay: fixed {replay_fixed:.2f} s, {1000 * replay_per:.2f} ms per resource, "
            f"growth exponent {replay_exponent:.3f}",
            f"- per-resource cost: {per_resource / replay_per:.2f}x the bare replay's",
        ]
    )


def main() -> None:
    """Measure each kind and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kind", nargs="+", choices=sorted(KINDS), default=sorted(KINDS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        for kind in args.kind:
            found = measure(kind, args.rounds, Path(scratch))
            print(f"\nCPU: median (lowest-highest) of {args.rounds} interleaved rounds\n")
            print(report(kind, found))


if __name__ == "__main__":
    main()
