"""IAM policy documents (identity policies, key policies, resource policies) as data.

AWS accepts a single value or a list almost everywhere (`Action`, `Resource`, `Principal`
entries, `Statement` itself); these helpers always hand back lists.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mlops_platform.policies.common.values import as_list, as_mapping, dig, parse_json, text_list

RESTRICTING_CONDITION_KEYS = frozenset(
    {
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceowner",
        "aws:sourceorgid",
        "aws:principalaccount",
        "aws:principalorgid",
        "aws:principalarn",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "kms:calleraccount",
    }
)
"""Condition keys that pin a statement to known accounts, organisations or networks."""


@dataclass(frozen=True)
class Statement:
    """One statement of a policy document."""

    sid: str
    effect: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    resources: tuple[str, ...]
    principal: Any
    condition: Mapping[str, Any]

    @property
    def allows(self) -> bool:
        """Whether the statement grants (rather than denies)."""
        return self.effect == "Allow"

    def grants(self, action: str) -> bool:
        """Whether the statement's actions cover `action` (wildcards as IAM reads them)."""
        if self.not_actions:
            return not any(matches(pattern, action) for pattern in self.not_actions)
        return any(matches(pattern, action) for pattern in self.actions)

    def on_all_resources(self) -> bool:
        """Whether the statement applies to every resource (`"*"`)."""
        return "*" in self.resources

    def condition_keys(self) -> set[str]:
        """Every condition key the statement tests, lower-cased."""
        keys: set[str] = set()
        for operator_block in self.condition.values():
            keys |= {key.lower() for key in as_mapping(operator_block)}
        return keys


def matches(pattern: str, action: str) -> bool:
    """Whether an IAM action pattern (`kms:Decrypt*`, `*`) covers `action`, case-insensitively."""
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def load(value: Any) -> tuple[list[Statement], bool]:
    """The statements of a document given as JSON text or a mapping; (statements, parsed ok)."""
    document, ok = parse_json(value)
    if not ok or not isinstance(document, Mapping):
        return [], False
    return [_statement(item) for item in as_list(dig(document, "Statement"))], True


def _statement(item: Any) -> Statement:
    raw = as_mapping(item)
    return Statement(
        sid=str(raw.get("Sid", "")),
        effect=str(raw.get("Effect", "")),
        actions=tuple(text_list(raw.get("Action"))),
        not_actions=tuple(text_list(raw.get("NotAction"))),
        resources=tuple(text_list(raw.get("Resource"))),
        principal=raw.get("Principal"),
        condition=as_mapping(raw.get("Condition")),
    )


def principal_values(principal: Any, kind: str | None = None) -> list[str]:
    """The principals a statement names (of `kind`, e.g. "AWS", "Service", when given)."""
    if isinstance(principal, str):
        return [principal] if kind in (None, "AWS") else []
    mapping = as_mapping(principal)
    kinds = [kind] if kind else list(mapping)
    return [value for name in kinds for value in text_list(mapping.get(name))]


def is_public(statement: Statement) -> bool:
    """Whether an Allow statement lets anyone (`*`) in with no condition pinning the caller."""
    if not statement.allows:
        return False
    anyone = any(value == "*" for value in principal_values(statement.principal, None))
    if not anyone:
        return False
    return not statement.condition_keys() & RESTRICTING_CONDITION_KEYS


def statement_label(statement: Statement, index: int) -> str:
    """`statement 'Sid'` or `statement 2` (1-based) for a message."""
    return f"statement {statement.sid!r}" if statement.sid else f"statement {index + 1}"


def report_public_statements(
    value: Any, *, document: str, grants: str, report: Callable[[str], None]
) -> None:
    """Report each statement of a resource policy that lets any principal in, unpinned.

    `document` names the policy in messages ("key policy"), `grants` says what anyone could do
    ("use the key") and how to close it; a value that is not a policy document is reported too.
    """
    statements, ok = load(value)
    if not ok:
        report(f"the {document} is not valid JSON")
        return
    for index, statement in enumerate(statements):
        if is_public(statement):
            report(f"{document} {statement_label(statement, index)} lets any principal {grants}")
