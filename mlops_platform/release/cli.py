"""The `mlops release` subcommands and `mlops drill`: arguments, dispatch and exit codes.

Exit codes: 0 ok; 1 the operation failed or was refused (a promotion that did not succeed, a
rollback refused while a promotion runs, a live endpoint that differs from its record); 2 bad
input (unknown stack or target, a time that is not ISO 8601, another model's package).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import times
from .errors import BadInput, Refused

if TYPE_CHECKING:
    from .clients import Clients
    from .stack import Stack

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
_SETTINGS = {
    "approval_timeout": "approval_timeout_seconds",
    "bake_interval": "bake_interval_seconds",
    "bake_checks": "bake_checks",
    "poll_seconds": "poll_seconds",
    "max_polls": "max_polls",
    "lock_ttl": "lock_ttl_seconds",
}


def add_commands(commands: Any) -> None:
    """Register `release` and `drill` on the `mlops` subparsers."""
    release = commands.add_parser(
        "release",
        help="promote, roll back, and ask the ledger what served when",
        description="Act on a stack's promotion workflow and read its ledger. Exit 0 ok, "
        "1 failed or refused, 2 bad input.",
    )
    subs = release.add_subparsers(required=True, metavar="subcommand")
    for name, helptext in (
        ("promote", "start the promotion of a model package and follow it"),
        ("rollback", "promote the previous (or --to) version back"),
        ("status", "what serves now, per target"),
        ("history", "the ledger entries of one target"),
        ("at", "what served at an instant, and who approved it"),
        ("metrics", "deployment frequency, lead time, change failure rate, time to restore"),
    ):
        sub = subs.add_parser(name, help=helptext, description=helptext)
        _common(sub)
        _OPTIONS[name](sub)
        sub.set_defaults(run=run, subcommand=name)
    drill = commands.add_parser(
        "drill",
        help="run the release scenarios end to end on a local moto server",
        description="Start moto on 127.0.0.1, deploy the real workflows and handlers there, and "
        "run the release scenarios with a timeline. Exit 1 if any scenario ends unexpectedly.",
    )
    drill.add_argument("--timeout", type=float, default=55.0, help="seconds for all (default 55)")
    drill.set_defaults(run=_drill)


def _common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--stack", required=True, help="the stack (environment), e.g. prod")
    sub.add_argument("--outputs", type=Path, help="`pulumi stack output --json` of the stack")
    sub.add_argument("--profile", help="AWS profile (default: the usual credential chain)")
    sub.add_argument("--region", help="AWS region (default: the profile's)")
    sub.add_argument("--endpoint-url", help="one endpoint for every AWS service (moto server)")
    sub.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def _target(sub: argparse.ArgumentParser, required: bool) -> None:
    sub.add_argument("--target", required=required, help="endpoint or model service")


def _promotion(sub: argparse.ArgumentParser, *, reason_required: bool = False) -> None:
    sub.add_argument(
        "--reason", default="", required=reason_required, help="why, kept in the release record"
    )
    sub.add_argument("--actor", default=None, help="who asks (default: the login name)")
    sub.add_argument("--attempt", type=int, default=1, help="start the same change anew")
    sub.add_argument("--no-wait", action="store_true", help="return once started")
    sub.add_argument("--poll", type=float, default=1.0, help="seconds between progress looks")
    approval = sub.add_mutually_exclusive_group()
    approval.add_argument("--approval", dest="approval_required", action="store_const", const=True)
    approval.add_argument(
        "--no-approval", dest="approval_required", action="store_const", const=False
    )
    for flag in _SETTINGS:
        sub.add_argument(f"--{flag.replace('_', '-')}", dest=flag, type=int, default=None)


def _options_promote(sub: argparse.ArgumentParser) -> None:
    _target(sub, True)
    sub.add_argument("--package", required=True, help="model package ARN, or a version number")
    _promotion(sub)


def _options_rollback(sub: argparse.ArgumentParser) -> None:
    _target(sub, True)
    sub.add_argument("--to", default="", help="version to restore (default: the previous one)")
    sub.add_argument("--force", action="store_true", help="stop a running promotion first")
    _promotion(sub, reason_required=True)


def _options_status(sub: argparse.ArgumentParser) -> None:
    _target(sub, False)


def _options_history(sub: argparse.ArgumentParser) -> None:
    _target(sub, True)
    sub.add_argument("--since", help="ISO 8601 date or time")


def _options_at(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--time", required=True, help="ISO 8601 time (UTC without an offset)")
    _target(sub, False)


def _options_metrics(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--since", help="ISO 8601 date or time (default: the first entry)")
    sub.add_argument("--until", help="ISO 8601 date or time (default: now)")


_OPTIONS = {
    "promote": _options_promote,
    "rollback": _options_rollback,
    "status": _options_status,
    "history": _options_history,
    "at": _options_at,
    "metrics": _options_metrics,
}


def open_from_args(args: argparse.Namespace, clients: Clients | None = None) -> Stack:
    """The stack named by the arguments, from its outputs or the naming rule."""
    from . import naming  # noqa: PLC0415 - boto3 is imported only by the commands that use it.
    from .clients import Clients  # noqa: PLC0415
    from .stack import open_stack  # noqa: PLC0415

    outputs: Mapping[str, Any] = {}
    if args.outputs is not None:
        try:
            outputs = json.loads(args.outputs.read_text())
        except (OSError, ValueError) as error:
            raise BadInput(f"--outputs {args.outputs}: {error}") from None
    resources = naming.from_outputs(args.stack, outputs)
    targets = outputs.get("promotion_targets") or {}
    clients = clients or Clients(args.profile, args.region, args.endpoint_url)
    return open_stack(clients, resources, targets)


def run(args: argparse.Namespace, out: TextIO | None = None, clients: Clients | None = None) -> int:
    """Run one `mlops release` subcommand; returns its exit code.

    A refusal or bad input prints `mlops release: <why>` on stderr and returns 1 or 2.
    """
    out = out or sys.stdout
    try:
        return _dispatch(args, out, clients)
    except BadInput as error:
        print(f"mlops release: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Refused as error:
        print(f"mlops release: {error}", file=sys.stderr)
        return EXIT_FAILED


def _time(args: argparse.Namespace, name: str) -> datetime | None:
    value = getattr(args, name, None)
    if value is None:
        return None
    try:
        return times.parse(value, f"--{name}")
    except times.BadTime as error:
        raise BadInput(str(error)) from None


def _dispatch(args: argparse.Namespace, out: TextIO, clients: Clients | None) -> int:
    from . import promote, queries  # noqa: PLC0415 - imported only when a command runs.

    moments = {n: _time(args, n) for n in ("since", "until", "time")}
    stack = open_from_args(args, clients)
    fmt, command = args.format, args.subcommand
    if command in ("promote", "rollback"):
        flags: dict[str, Any] = {v: getattr(args, k) for k, v in _SETTINGS.items()}
        flags["approval_required"] = args.approval_required
        request = promote.Request(
            target=args.target,
            package=args.package if command == "promote" else args.to,
            actor=args.actor or getpass.getuser(),
            reason=args.reason,
            attempt=args.attempt,
            wait=not args.no_wait,
            poll=args.poll,
            settings=flags,
        )
        if command == "promote":
            return promote.start(stack, request, "promote", out, fmt)
        return promote.rollback(stack, request, args.force, out, fmt)
    if command == "status":
        return queries.status(stack, args.target, out, fmt)
    if command == "history":
        return queries.history(stack, args.target, moments["since"], out, fmt)
    if command == "at":
        assert moments["time"] is not None
        return queries.served(stack, moments["time"], args.target, out, fmt)
    until = moments["until"] or datetime.now(UTC)
    return queries.delivery(stack, moments["since"], until, out, fmt)


def _drill(args: argparse.Namespace) -> int:
    from . import drill  # noqa: PLC0415 - the drill imports moto: only when asked for.

    return drill.main(timeout=args.timeout)
