"""Where a stack's promotion workflow, ledger and lock table are, and execution names.

One rule, shared with the Pulumi component that deploys the workflows: every name derives from
the stack (the environment) alone, so the command needs nothing but `--stack`. A stack's
outputs (`pulumi stack output --json`) may name them instead; outputs win.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

OUTPUT_KEYS = {
    "promotion_state_machine_arn": "state_machine_arn",
    "ledger_table_name": "ledger_table",
    "lock_table_name": "lock_table",
    "notification_topic_arn": "topic_arn",
}
"""Stack output name -> `StackResources` field it sets."""

_EXECUTION_NAME = re.compile(r"[^A-Za-z0-9_-]")
MAX_EXECUTION_NAME = 80
"""Step Functions' limit on an execution name."""


@dataclass(frozen=True)
class StackResources:
    """The deployed parts of one stack that the command reads and starts."""

    env: str
    """The stack (environment) name."""
    state_machine: str
    """Name of the promotion state machine."""
    ledger_table: str
    """Name of the ledger table (with the `serving` index)."""
    lock_table: str
    """Name of the coordination table (locks and incident claims)."""
    state_machine_arn: str = ""
    """ARN of the promotion state machine when the outputs give it; else looked up by name."""
    topic_arn: str = ""
    """Notification topic, when the outputs give it."""


def stack_resources(env: str) -> StackResources:
    """The names the platform gives to stack `env`'s promotion workflow and tables.

    Args:
        env: Stack name (`dev`, `staging`, `prod`).

    Returns:
        `mlops-<env>-promotion`, `mlops-<env>-ledger`, `mlops-<env>-locks`.
    """
    return StackResources(
        env=env,
        state_machine=f"mlops-{env}-promotion",
        ledger_table=f"mlops-{env}-ledger",
        lock_table=f"mlops-{env}-locks",
    )


def from_outputs(env: str, outputs: Mapping[str, object]) -> StackResources:
    """The stack's resources, with any name its outputs give replacing the derived one.

    Args:
        env: Stack name.
        outputs: `pulumi stack output --json` of that stack.

    Returns:
        Derived names overridden by the outputs listed in `OUTPUT_KEYS`.
    """
    derived = stack_resources(env)
    values = {
        "env": env,
        "state_machine": derived.state_machine,
        "ledger_table": derived.ledger_table,
        "lock_table": derived.lock_table,
    }
    for output, field in OUTPUT_KEYS.items():
        value = outputs.get(output)
        if isinstance(value, str) and value:
            values[field] = value
    arn = values.get("state_machine_arn", "")
    if arn:
        values["state_machine"] = arn.rsplit(":", 1)[-1]
    return StackResources(**values)


def execution_name(kind: str, env: str, target: str, package_arn: str, salt: str = "") -> str:
    """A deterministic execution name: the same request always names the same execution.

    Args:
        kind: `promote` or `rollback`.
        env: Stack name.
        target: The target promoted.
        package_arn: The model package promoted (for a rollback: the version restored).
        salt: What else makes the request distinct (the version serving before it, an
            attempt number), so the same change requested again later is a new execution.

    Returns:
        `<kind>-<target>-v<version>-<10 hex digits of sha256(env, target, package, salt)>`, cut to
        80 characters and to the characters Step Functions allows.
    """
    digest = hashlib.sha256(f"{env}\n{target}\n{package_arn}\n{salt}".encode()).hexdigest()[:10]
    version = package_arn.rsplit("/", 1)[-1]
    head = _EXECUTION_NAME.sub("-", f"{kind}-{target}-v{version}")
    return f"{head[: MAX_EXECUTION_NAME - len(digest) - 1]}-{digest}"


def execution_arn(state_machine_arn: str, name: str) -> str:
    """The ARN an execution named `name` of `state_machine_arn` has."""
    return f"{state_machine_arn.replace(':stateMachine:', ':execution:', 1)}:{name}"
