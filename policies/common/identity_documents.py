"""Where identity-policy documents sit in the inputs of IAM resources."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy.proxy import UnknownValueError

from mlops_platform.policies.common.types import IAM_POLICY_DOCUMENTS, IAM_ROLE
from mlops_platform.policies.common.values import dig, known, known_items

Documents = tuple[list[tuple[str, Any]], UnknownValueError | None]
"""(where, document) for each document known now, and the error of the first one not known."""


def identity_documents(resource_type: str, props: Mapping[str, Any]) -> Documents:
    """Every identity policy in the inputs (`policy`, inline policies) that is known now.

    A document computed from resources not created yet (an ARN in it) is skipped, and its
    error returned, so the rule still checks the others and raises afterwards.
    """
    if resource_type in IAM_POLICY_DOCUMENTS:
        text = dig(props, "policy")
        return ([] if text is None else [("the policy", text)]), None
    if resource_type != IAM_ROLE:
        return [], None
    found = []
    inlines, pending = known_items(dig(props, "inlinePolicies"))
    for index, inline in enumerate(inlines):
        text, unknown = known(inline, "policy")
        name, unknown_name = known(inline, "name")
        pending = pending or unknown
        label = f"inline policy {index + 1}" if unknown_name else f"inline policy {name!r}"
        if text is not None:
            found.append((label, text))
    return found, pending
