"""`mlops:alerting`: who the environment's alerting topic notifies."""

from __future__ import annotations

import ast
from typing import Literal

from infra.schema import Section, StackContext
from mlops_platform.components.core import ArgsError, Problem
from mlops_platform.components.observability.alarms import check_subscriptions


class SubscriptionSettings(Section):
    """One entry of `subscriptions`."""

    protocol: Literal["email", "https", "sqs"]
    """How the alert is delivered."""
    endpoint: str
    """An email address, an https:// URL (PagerDuty-style) or an SQS queue ARN."""


class AlertingSettings(Section):
    """Keys of `mlops:alerting`."""

    subscriptions: list[SubscriptionSettings] | None = None
    """Who is notified; the topic's ARN is exported for subscribing more later."""


def build(settings: AlertingSettings, context: StackContext) -> tuple[dict[str, str], ...]:
    """The subscriptions as the topic takes them; raises `ArgsError` naming each bad entry."""
    del context
    subscriptions = tuple(s.model_dump() for s in settings.subscriptions or ())
    problems = check_subscriptions(subscriptions)
    if problems:
        raise ArgsError("alerting", [_problem(text) for text in problems])
    return subscriptions


def _problem(text: str) -> Problem:
    """`subscriptions[1].endpoint = 'x': must be ...` (the pure check's line) as a Problem."""
    field, _, rest = text.partition(" = ")
    value, _, reason = rest.partition(": ")
    return Problem(field, ast.literal_eval(value), reason)


def environment_rules(
    subscriptions: tuple[dict[str, str], ...], context: StackContext
) -> list[Problem]:
    """Prod pages someone: at least one subscription."""
    if context.environment == "prod" and not subscriptions:
        return [Problem("subscriptions", [], "prod notifies at least one on-call address")]
    return []


def absent(
    given: bool, context: StackContext, problems: list[Problem]
) -> tuple[dict[str, str], ...]:
    """No subscriptions: the block is absent (prod refuses that) or was invalid (reported)."""
    if not given:
        problems += [
            Problem(f"mlops:alerting.{p.field}", p.value, p.reason)
            for p in environment_rules((), context)
        ]
    return ()
