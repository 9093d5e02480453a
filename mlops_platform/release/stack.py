"""A stack as the command finds it: its workflow, tables, targets and model packages."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from boto3.dynamodb.conditions import Key

from mlops_platform.lambdas.common.ledger import SERVING_INDEX
from mlops_platform.lambdas.common.lock import lock_key
from mlops_platform.lambdas.common.release import ReleaseRecord, read_release, release_record_name

from .clients import Clients
from .errors import BadInput
from .naming import StackResources


@dataclass
class Stack:
    """One stack's deployed workflow and tables, reached through `clients`."""

    clients: Clients
    """The session's clients."""
    resources: StackResources
    """Names of the workflow and tables."""
    targets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """`promotion_targets` of the stack's outputs: per target, settings of its promotions."""
    state_machine_arn: str = ""
    """Found by `open_stack`."""

    @property
    def env(self) -> str:
        """The stack's environment."""
        return self.resources.env

    def ledger(self) -> Any:
        """The ledger table."""
        return self.clients.table(self.resources.ledger_table)

    def release(self, target: str) -> ReleaseRecord | None:
        """The target's release record."""
        return read_release(self.clients.client("ssm"), self.env, target)

    def released_targets(self) -> list[str]:
        """Targets with a release record in this stack, sorted."""
        prefix = release_record_name(self.env, "")
        names: list[str] = []
        pages = self.clients.client("ssm").get_paginator("get_parameters_by_path")
        for page in pages.paginate(Path=prefix.rstrip("/"), Recursive=True):
            names += [p["Name"][len(prefix) :] for p in page["Parameters"]]
        return sorted(set(names) | set(self.targets))

    def history(self, target: str) -> list[dict[str, Any]]:
        """The target's ledger entries, oldest first."""
        return _all(
            self.ledger().query, KeyConditionExpression=Key("pk").eq(f"{self.env}#{target}")
        )

    def serving(self) -> list[dict[str, Any]]:
        """Every serving entry of the stack (the sparse `serving` index)."""
        return _all(
            self.ledger().query,
            IndexName=SERVING_INDEX,
            KeyConditionExpression=Key("serving_env").eq(self.env),
        )

    def everything(self) -> list[dict[str, Any]]:
        """Every ledger entry of every environment the table holds."""
        return _all(self.ledger().scan)

    def running(self, target: str) -> dict[str, Any] | None:
        """The unexpired promotion lock of `target` (owner = the running execution), or None."""
        table = self.clients.table(self.resources.lock_table)
        item: dict[str, Any] | None = table.get_item(
            Key={"pk": lock_key(self.env, target)}, ConsistentRead=True
        ).get("Item")
        if item is None or int(item.get("expires_at", 0)) < time.time():
            return None
        return item

    def check_target(self, target: str) -> ReleaseRecord | None:
        """The target's release record; `BadInput` when the stack knows nothing of it."""
        record = self.release(target)
        if record is None and target not in self.targets and not self.history(target):
            raise BadInput(
                f"unknown target {target!r} in stack {self.env!r}: no release record "
                f"{release_record_name(self.env, target)}, no ledger entries and no "
                "promotion_targets output names it"
            )
        return record


def _all(call: Any, **kwargs: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = call(**kwargs)
        items += page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def open_stack(
    clients: Clients, resources: StackResources, targets: Mapping[str, Mapping[str, Any]]
) -> Stack:
    """Find the stack's promotion state machine; `BadInput` naming the stacks found otherwise."""
    stack = Stack(clients, resources, targets, resources.state_machine_arn)
    if stack.state_machine_arn:
        return stack
    found: dict[str, str] = {}
    pages = clients.client("stepfunctions").get_paginator("list_state_machines")
    for page in pages.paginate():
        found.update({m["name"]: m["stateMachineArn"] for m in page["stateMachines"]})
    if resources.state_machine not in found:
        known = sorted(
            n.removeprefix("mlops-").removesuffix("-promotion")
            for n in found
            if n.startswith("mlops-") and n.endswith("-promotion")
        )
        raise BadInput(
            f"unknown stack {resources.env!r}: no state machine {resources.state_machine} in "
            f"{clients.region_name} (stacks found: {', '.join(known) or 'none'})"
        )
    stack.state_machine_arn = found[resources.state_machine]
    return stack
