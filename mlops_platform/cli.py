"""The `mlops` command.

Exit codes: 0 success; 1 a program failed or the policy check found a mandatory violation;
2 unusable input (a bad stack config, a missing or malformed project file, an unknown stack, a
malformed plan or policy config).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

import pulumi

from mlops_platform.components.core import InvalidInputError
from mlops_platform.policy_check import check as policy_check
from mlops_platform.preview.project import ProjectError, PulumiProject
from mlops_platform.preview.stack import Progress, preview_layers, shown, summary

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
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
    preview.set_defaults(run=_preview)
    policy_check.add_command(commands)
    return parser


def _preview(args: argparse.Namespace) -> int:
    project = PulumiProject.load(args.project_dir or _find_project(Path.cwd()))
    stacks = project.stacks() if args.stack == "all" else [args.stack]
    if not stacks:
        raise ProjectError(f"{project.directory}: no Pulumi.<stack>.yaml stack files")
    out_dir = args.out if args.out.is_absolute() else Path.cwd() / args.out
    progress = Progress(sys.stderr, verbose=args.verbose)
    worst = EXIT_OK
    for stack in stacks:
        worst = max(worst, _preview_one(project, stack, out_dir, progress, policy=args.policy))
    return worst


def _preview_one(
    project: PulumiProject, stack: str, out_dir: Path, progress: Progress, *, policy: bool
) -> int:
    try:
        results = preview_layers(project, stack, out_dir, progress)
    except InvalidInputError as error:
        print(f"{stack}: no plan written\n{error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except pulumi.RunError as error:
        print(f"{stack}: the program failed, no plan written\n{error}", file=sys.stderr)
        return EXIT_FAILED
    except ProjectError:
        raise
    except Exception:  # a bug in the program: show where, and keep going with other stacks
        print(f"{stack}: the program raised, no plan written", file=sys.stderr)
        traceback.print_exc()
        return EXIT_FAILED
    for result in results:
        print(summary(result))
    plans = [Path(shown(result.plan_path)) for result in results]
    return policy_check.run(plans) if policy else EXIT_OK


def _find_project(start: Path) -> Path:
    for directory in (start, *start.parents):
        if (directory / "Pulumi.yaml").is_file():
            return directory
    raise ProjectError(f"no Pulumi.yaml in {start} or any directory above it")


if __name__ == "__main__":
    sys.exit(main())
