"""Where identity-policy documents sit in the inputs of IAM resources."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlops_platform.policies.common.types import IAM_POLICY_DOCUMENTS, IAM_ROLE
from mlops_platform.policies.common.values import as_list, dig


def identity_documents(resource_type: str, props: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(where, document) for every identity policy in the inputs: `policy`, inline policies."""
    if resource_type in IAM_POLICY_DOCUMENTS:
        text = dig(props, "policy")
        return [] if text is None else [("the policy", text)]
    if resource_type == IAM_ROLE:
        found = []
        for inline in as_list(dig(props, "inlinePolicies")):
            text = dig(inline, "policy")
            if text is not None:
                found.append((f"inline policy {dig(inline, 'name')!r}", text))
        return found
    return []
