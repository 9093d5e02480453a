"""Nobody who may write the ledger may rewrite or delete what it holds."""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_policy import PolicyResource, Severity, StackValidationArgs

from mlops_platform.policies.common.documents import Statement, load
from mlops_platform.policies.common.rule import (
    RuleInfo,
    Settings,
    StackReport,
    StackRule,
    string_list,
)
from mlops_platform.policies.common.stack import describe, linked, of_type
from mlops_platform.policies.common.types import DYNAMODB_TABLE
from mlops_platform.policies.common.values import known, raise_first, tags_of

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
REWRITES = (
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:PartiQLUpdate",
    "dynamodb:PartiQLDelete",
)
"""Actions that change or remove an item already written."""

INFO = RuleInfo(
    name="aws-dynamodb-ledger-append-only",
    description=(
        "No role whose policy names a ledger table (tagged mlops:purpose=ledger) may update "
        "or delete its items: the ledger is append-only."
    ),
    resource_types=(DYNAMODB_TABLE, ROLE_POLICY),
    severity=Severity.HIGH,
    remediation=(
        "Grant the ledger's writer dynamodb:PutItem only (written with attribute_not_exists) "
        "and deny UpdateItem, DeleteItem, BatchWriteItem and PartiQL writes on the table."
    ),
    params={
        "ledgerPurposes": string_list("Values of the mlops:purpose tag of ledgers.", ["ledger"])
    },
)


def _allowed(statements: Sequence[Statement], action: str) -> bool:
    """Whether the statements allow `action` and no statement of them denies it."""
    allows = any(s.allows and s.grants(action) for s in statements)
    return allows and not any(not s.allows and s.grants(action) for s in statements)


def _check(args: StackValidationArgs, settings: Settings, report: StackReport) -> None:
    ledgers = [
        table
        for table in of_type(args.resources, DYNAMODB_TABLE)
        if tags_of(table.props).get("mlops:purpose") in settings["ledgerPurposes"]
    ]
    if not ledgers:
        return
    roles = of_type(args.resources, ROLE)
    by_role: dict[str, tuple[PolicyResource, list[Statement], list[PolicyResource]]] = {}
    pending = None
    for policy in of_type(args.resources, ROLE_POLICY):
        tables = linked(policy, "policy", ledgers)
        owner = next(iter(linked(policy, "role", roles)), policy)
        text, unknown = known(policy.props, "policy")
        pending = pending or unknown
        statements, _ok = load(text) if text is not None else ([], False)
        entry = by_role.setdefault(owner.urn, (owner, [], []))
        entry[1].extend(statements)
        entry[2].extend(tables)
    for owner, statements, tables in by_role.values():
        rewrites = [action for action in REWRITES if _allowed(statements, action)]
        if tables and rewrites:
            names = ", ".join(sorted({describe(table) for table in tables}))
            report(
                f"{describe(owner)} may {', '.join(rewrites)} on the ledger ({names}); "
                "grant its writer PutItem only and deny the rest",
                owner.urn,
            )
    raise_first(pending)


POLICY = StackRule(INFO, _check)
