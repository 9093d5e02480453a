"""The check's place on the command line, cheap to import: the check loads when it runs.

`mlops preview --no-policy` never pays for the check's modules (the plan reader, the gRPC
client, the pack's rules), and `mlops preview` pays for them once, after the first plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mlops_platform.policies


def default_pack_dir() -> Path:
    """The platform's pack: the folder of `mlops_platform.policies`.

    In a checkout (or an editable install) that is the repository's `policies/`; installed
    from the wheel, the package's folder, which ships its config and PulumiPolicy.yaml.
    """
    return Path(mlops_platform.policies.__file__).resolve().parent


def add_command(commands: Any) -> None:
    """Register `mlops policy-check` on the command line's subcommands."""
    parser = commands.add_parser(
        "policy-check",
        help="evaluate plan files with the policy pack, offline",
        description="Evaluate every resource and then the whole stack of each plan with the "
        "policy pack, with the findings the Pulumi engine would get from it. Exit 1 when a "
        "mandatory violation is found, 2 on unusable input.",
    )
    parser.add_argument("plans", nargs="+", type=Path, metavar="PLAN.json", help="plan files")
    parser.add_argument(
        "--policy-config",
        type=Path,
        default=None,
        metavar="FILE",
        help="pack config to use (default: <pack>/config/<stack>.json for each plan's stack)",
    )
    parser.add_argument(
        "--policy-pack",
        type=Path,
        default=None,
        metavar="DIR",
        help="the policy pack directory (default: this project's policies/); a pack other "
        "than the platform's is always called through its Analyzer service",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", dest="output")
    parser.add_argument(
        "--via-analyzer",
        action="store_true",
        help="start the pack as the engine does and call its Analyzer gRPC service, instead "
        "of calling the platform's rules in this process (same findings, about 10x slower)",
    )
    parser.set_defaults(run=_run_command)


def add_preview_option(preview: Any) -> None:
    """Give `mlops preview` its `--no-policy` switch."""
    preview.add_argument(
        "--no-policy",
        dest="policy",
        action="store_false",
        help="write the plans without running the policy check on them",
    )


def run_check(plans: list[Path], config: Path | None = None) -> int:
    """`mlops policy-check PLAN... [--policy-config FILE]`, for `mlops preview`."""
    from mlops_platform.policy_check import check  # noqa: PLC0415 - loaded when a check runs

    return check.run(plans, config=config)


def _run_command(args: Any) -> int:
    from mlops_platform.policy_check import check  # noqa: PLC0415 - loaded when a check runs

    return check.run(
        args.plans,
        pack_dir=args.policy_pack,
        config=args.policy_config,
        output=args.output,
        via_analyzer=args.via_analyzer,
    )
