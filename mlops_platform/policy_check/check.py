"""`mlops policy-check`: evaluate plan files with the policy pack, as the engine would.

For each plan: start the pack from its directory, reconcile the config of the plan's stack
(`<pack>/config/<stack>.json` unless another file is given) against the schemas the pack reports,
`Configure` the pack, `Analyze` every resource, `AnalyzeStack` the whole plan, and collect the
diagnostics. Exit codes: 0 no mandatory violation, 1 at least one, 2 unusable input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

import mlops_platform.policies
from mlops_platform.policy_check.analyzer import PackError, level_name, running_pack
from mlops_platform.policy_check.config import PolicyConfigError, read_config, reconcile
from mlops_platform.policy_check.plan_reader import Plan, PlanError, read_plan

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
Format = Literal["text", "json"]
_LEVEL_ORDER = {"mandatory": 0, "advisory": 1}


@dataclass(frozen=True)
class Violation:
    """One diagnostic of the pack, as reviewers read it."""

    policy: str
    level: str
    urn: str
    message: str

    def line(self) -> str:
        """`LEVEL policy-name urn: message`."""
        return f"{self.level.upper()} {self.policy} {self.urn}: {self.message}"


class CheckError(ValueError):
    """Input the check cannot use; the message is one line."""


def default_pack_dir() -> Path:
    """The platform's pack: the folder of `mlops_platform.policies`.

    In a checkout (or an editable install) that is the repository's `policies/`; installed
    from the wheel, the package's folder, which ships its config and PulumiPolicy.yaml.
    """
    return Path(mlops_platform.policies.__file__).resolve().parent


def config_path_for(plan: Plan, plan_path: Path, pack_dir: Path, given: Path | None) -> Path:
    """The config to use: the given file, else the pack's config of the plan's stack."""
    if given is not None:
        return given
    path = pack_dir / "config" / f"{plan.stack}.json"
    if not path.is_file():
        raise CheckError(
            f"{plan_path}: stack {plan.stack!r} has no policy config ({path} does not exist); "
            "pass --policy-config FILE"
        )
    return path


def check_plan(plan_path: Path, pack_dir: Path, config: Path | None = None) -> list[Violation]:
    """Every violation the pack reports on one plan file."""
    plan = read_plan(plan_path)
    config_path = config_path_for(plan, plan_path, pack_dir, config)
    given = read_config(config_path)
    with running_pack(pack_dir, plan) as analyzer:
        reconciled = reconcile(config_path, given, analyzer.policies())
        analyzer.configure(reconciled, plan)
        found: list[Violation] = []
        for resource in plan.resources:
            found += [_violation(d, resource.urn) for d in analyzer.analyze(resource, plan)]
        found += [_violation(d, plan.stack_urn) for d in analyzer.analyze_stack(plan)]
    return sorted(found, key=lambda v: (_LEVEL_ORDER.get(v.level, 2), v.urn, v.policy, v.message))


def _violation(diagnostic: Any, fallback_urn: str) -> Violation:
    """A diagnostic without its description prefix, at the resource it concerns."""
    message: str = diagnostic.message
    prefix = f"{diagnostic.description}\n"
    if diagnostic.description and message.startswith(prefix):
        message = message[len(prefix) :]
    return Violation(
        policy=diagnostic.policyName,
        level=level_name(diagnostic.enforcementLevel),
        urn=diagnostic.urn or fallback_urn,
        message=" ".join(message.split()),
    )


def render(violations: Sequence[Violation], output: Format) -> str:
    """Text: one line per violation; JSON: a list of objects (policy, level, urn, message)."""
    if output == "json":
        return json.dumps([asdict(v) for v in violations], indent=2) + "\n"
    return "".join(f"{violation.line()}\n" for violation in violations)


def exit_code(violations: Sequence[Violation]) -> int:
    """1 when any violation is mandatory, else 0."""
    return EXIT_VIOLATIONS if any(v.level == "mandatory" for v in violations) else EXIT_OK


def run(
    plans: Sequence[Path],
    *,
    pack_dir: Path | None = None,
    config: Path | None = None,
    output: Format = "text",
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Check every plan, print the violations, and return the exit code.

    Input problems are reported one line each on `err` and give 2; nothing is printed on `out`
    for a run that has any.
    """
    out = out or sys.stdout  # looked up per call, so redirected streams are honoured
    err = err or sys.stderr
    pack = pack_dir or default_pack_dir()
    found: list[Violation] = []
    for plan_path in plans:
        try:
            violations = check_plan(plan_path, pack, config)
        except (PlanError, PolicyConfigError, CheckError, PackError) as error:
            print(f"mlops policy-check: {error}", file=err)
            return EXIT_BAD_INPUT
        found += violations
        mandatory = sum(1 for v in violations if v.level == "mandatory")
        print(
            f"{plan_path}: {mandatory} mandatory, {len(violations) - mandatory} advisory",
            file=err,
        )
    out.write(render(found, output))
    return exit_code(found)


def add_command(commands: Any) -> None:
    """Register `mlops policy-check` on the command line's subcommands."""
    parser = commands.add_parser(
        "policy-check",
        help="evaluate plan files with the policy pack, offline",
        description="Start the policy pack as the Pulumi engine does and call its Analyzer "
        "service for every resource and for the stack of each plan. Exit 1 when a mandatory "
        "violation is found, 2 on unusable input.",
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
        help="the policy pack directory (default: this project's policies/)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", dest="output")
    parser.set_defaults(run=_run_command)


def add_preview_option(preview: Any) -> None:
    """Give `mlops preview` its `--no-policy` switch."""
    preview.add_argument(
        "--no-policy",
        dest="policy",
        action="store_false",
        help="write the plans without running the policy check on them",
    )


def _run_command(args: Any) -> int:
    return run(args.plans, pack_dir=args.policy_pack, config=args.policy_config, output=args.output)
