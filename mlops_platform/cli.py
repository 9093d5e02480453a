"""The `mlops` command.

Exit codes: 0 success; 1 a program failed or the policy check found a mandatory violation;
2 unusable input (a bad stack config, a missing or malformed project file, an unknown stack, a
malformed plan or policy config).
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

import pulumi

from mlops_platform.components.core import InvalidInputError
from mlops_platform.policy_check import commands as policy_check
from mlops_platform.preview.project import ProjectError, PulumiProject
from mlops_platform.preview.stack import Progress, preview_layers, shown, summary

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


GC_THRESHOLDS = (10_000, 10, 1_000)
"""The collector's thresholds for a command run (Python's are 700, 10, 10).

A preview allocates millions of short-lived objects (resource args, outputs, futures, protobuf
messages) and few cycles; at the defaults the collector runs thousands of times and walks a heap
of some 100 MiB of imported modules in dozens of full collections. Measured on `--stack all`:
higher thresholds save a little more CPU and cost memory (50,000: +6 MiB), lower ones the
reverse (3,000: +0.3 s). The modules are moved out of its sight (`gc.freeze()`) once loaded.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Called without `argv` (the `mlops` command itself), the process ends here once its output
    is flushed, without tearing down a heap it no longer needs; `argv` given (tests, callers),
    it returns the code.
    """
    if argv is not None:
        return _run(argv, tuned=False)
    gc.freeze()  # the modules loaded so far live as long as the process
    gc.set_threshold(*GC_THRESHOLDS)
    code = _run(sys.argv[1:], tuned=True)
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def _run(argv: Sequence[str], *, tuned: bool) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    args.tuned = tuned
    try:
        code: int = args.run(args)
    except ProjectError as error:
        print(f"mlops: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlops", description="Preview and check the mlops-platform stacks, offline."
    )
    commands = parser.add_subparsers(required=True, metavar="command")
    preview = commands.add_parser(
        "preview",
        help="run each stack's program under the mock runtime and write its plan",
        description="Run the real program of each stack with its committed config under the "
        "Pulumi SDK's mock runtime (no CLI, no credentials, no network) and write "
        "DIR/<stack>.json in the format of docs/plan-format.md.",
    )
    preview.add_argument(
        "--stack", default="all", help="a stack with a Pulumi.<stack>.yaml file, or 'all' (default)"
    )
    preview.add_argument(
        "--out",
        type=Path,
        default=Path("build/plan"),
        help="directory for the plan files (default: build/plan)",
    )
    preview.add_argument(
        "--project-dir",
        type=Path,
        default=None,
        help="the Pulumi project (default: the nearest Pulumi.yaml upwards)",
    )
    preview.add_argument(
        "-v", "--verbose", action="store_true", help="print every resource as it is registered"
    )
    policy_check.add_preview_option(preview)
    preview.add_argument(
        "--policy-config",
        type=Path,
        default=None,
        metavar="FILE",
        help="pack config for every stack (default: <pack>/config/<stack>.json, or the config "
        "of the stack's mlops:environment for a stack the pack has no config for)",
    )
    preview.set_defaults(run=_preview)
    policy_check.add_command(commands)
    # Only argparse at import: the release commands import boto3 when they run.
    from mlops_platform.release.cli import add_commands  # noqa: PLC0415

    add_commands(commands)
    return parser


def _preview(args: argparse.Namespace) -> int:
    project = PulumiProject.load(args.project_dir or _find_project(Path.cwd()))
    stacks = project.stacks() if args.stack == "all" else [args.stack]
    if not stacks:
        raise ProjectError(f"{project.directory}: no Pulumi.<stack>.yaml stack files")
    if args.stack != "all" and args.stack not in project.stacks():
        known = ", ".join(project.stacks()) or "none"
        raise ProjectError(f"unknown stack {args.stack!r}; stacks with a stack file: {known}")
    out_dir = args.out if args.out.is_absolute() else Path.cwd() / args.out
    progress = Progress(sys.stderr, verbose=args.verbose)
    worst = EXIT_OK
    for index, stack in enumerate(stacks):
        policy = _policy_config(project, stack, args.policy_config) if args.policy else None
        worst = max(worst, _preview_one(project, stack, out_dir, progress, policy=policy))
        if args.tuned and index < len(stacks) - 1:
            # What this stack left is garbage now, and what stays (the modules its program
            # loaded) lives as long as the process: one full collection, then out of sight.
            gc.collect()
            gc.freeze()
    return worst


def _policy_config(project: PulumiProject, stack: str, given: Path | None) -> Path | None:
    """The pack config to check `stack` with.

    The given file, else the stack's own, else its environment's (`mlops:environment`): the
    closest the pack has.
    """
    if given is not None:
        return given
    configs = policy_check.default_pack_dir() / "config"
    if (configs / f"{stack}.json").is_file():
        return configs / f"{stack}.json"
    try:
        environment = project.stack_config(stack).values.get("mlops:environment", "")
    except ProjectError:
        environment = ""  # the preview reports the unreadable file itself
    closest = configs / f"{environment}.json"
    # With neither, the check says the stack's own config does not exist (exit 2).
    return closest if environment and closest.is_file() else configs / f"{stack}.json"


def _preview_one(
    project: PulumiProject, stack: str, out_dir: Path, progress: Progress, *, policy: Path | None
) -> int:
    try:
        results = preview_layers(project, stack, out_dir, progress)
    except InvalidInputError as error:
        print(f"{stack}: no plan written\n{error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except pulumi.RunError as error:
        print(f"{stack}: the program failed, no plan written\n{error}", file=sys.stderr)
        return EXIT_FAILED
    except ProjectError as error:  # this stack's file only: the other stacks still preview
        print(f"{stack}: no plan written\n{error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception:  # a bug in the program: show where, and keep going with other stacks
        print(f"{stack}: the program raised, no plan written", file=sys.stderr)
        traceback.print_exc()
        return EXIT_FAILED
    for result in results:
        print(summary(result))
    plans = [Path(shown(result.plan_path)) for result in results]
    if policy is None:
        return EXIT_OK
    return policy_check.run_check(plans, config=policy)


def _find_project(start: Path) -> Path:
    for directory in (start, *start.parents):
        if (directory / "Pulumi.yaml").is_file():
            return directory
    raise ProjectError(f"no Pulumi.yaml in {start} or any directory above it")


if __name__ == "__main__":
    sys.exit(main())
