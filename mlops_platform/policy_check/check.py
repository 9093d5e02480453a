"""`mlops policy-check`: evaluate plan files with the policy pack, as the engine would.

For each plan: reconcile the config of the plan's stack (`<pack>/config/<stack>.json` unless
another file is given) against the schemas the pack reports, configure the pack, check every
resource and then the whole plan, and collect the diagnostics. The platform's own pack is called
in this process (`in_process.py`, the same findings at a tenth of the cost); another pack, or
`via_analyzer=True`, is started as the engine starts it and called over its Analyzer gRPC
service (`Analyze` per resource, `AnalyzeStack`). Exit codes: 0 no mandatory violation, 1 at
least one, 2 unusable input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

from mlops_platform.policy_check.analyzer import PackError, level_name, running_pack
from mlops_platform.policy_check.commands import default_pack_dir
from mlops_platform.policy_check.config import PolicyConfigError, read_config, reconcile
from mlops_platform.policy_check.in_process import Diagnostic, InProcessPack
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


def check_plan(
    plan_path: Path, pack_dir: Path, config: Path | None = None, *, via_analyzer: bool = False
) -> list[Violation]:
    """Every violation the pack reports on one plan file.

    The platform's pack is evaluated in this process unless `via_analyzer`; any other pack is
    always started and called over gRPC.
    """
    plan = read_plan(plan_path)
    config_path = config_path_for(plan, plan_path, pack_dir, config)
    given = read_config(config_path)
    if via_analyzer or pack_dir.resolve() != default_pack_dir():
        found = _through_analyzer(plan, pack_dir, config_path, given)
    else:
        pack = platform_pack()
        pack.configure(reconcile(config_path, given, pack.policies()))
        found = [_violation(d) for d in pack.evaluate(plan)]
    return sorted(found, key=lambda v: (_LEVEL_ORDER.get(v.level, 2), v.urn, v.policy, v.message))


def platform_pack() -> InProcessPack:
    """The platform's rules, built as `policies/__main__.py` builds the pack."""
    from pulumi_policy import EnforcementLevel  # noqa: PLC0415 - loaded when a check runs

    from mlops_platform.policies.pack import PACK_NAME, policies  # noqa: PLC0415 - likewise

    return InProcessPack(policies(), PACK_NAME, EnforcementLevel.MANDATORY)


def _through_analyzer(
    plan: Plan, pack_dir: Path, config_path: Path, given: dict[str, Any]
) -> list[Violation]:
    with running_pack(pack_dir, plan) as analyzer:
        reconciled = reconcile(config_path, given, analyzer.policies())
        analyzer.configure(reconciled, plan)
        found: list[Violation] = []
        for resource in plan.resources:
            found += [_from_wire(d, resource.urn) for d in analyzer.analyze(resource, plan)]
        found += [_from_wire(d, plan.stack_urn) for d in analyzer.analyze_stack(plan)]
    return found


def _from_wire(diagnostic: Any, fallback_urn: str) -> Violation:
    """A diagnostic of the Analyzer service, at the resource it concerns."""
    return _violation(
        Diagnostic(
            policy_name=diagnostic.policyName,
            description=diagnostic.description,
            message=diagnostic.message,
            urn=diagnostic.urn or fallback_urn,
            level=level_name(diagnostic.enforcementLevel),
        )
    )


def _violation(diagnostic: Diagnostic) -> Violation:
    """A diagnostic without its description prefix, its message on one line."""
    message = diagnostic.message
    prefix = f"{diagnostic.description}\n"
    if diagnostic.description and message.startswith(prefix):
        message = message[len(prefix) :]
    return Violation(
        policy=diagnostic.policy_name,
        level=diagnostic.level,
        urn=diagnostic.urn,
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
    via_analyzer: bool = False,
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
            violations = check_plan(plan_path, pack, config, via_analyzer=via_analyzer)
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
