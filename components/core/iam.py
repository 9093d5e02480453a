"""IAM and key-policy documents as plain dictionaries, serialised with `Output.json_dumps`."""

from __future__ import annotations

from typing import Any

import pulumi

PolicyDocument = dict[str, Any]


def document(*statements: dict[str, Any]) -> PolicyDocument:
    """Wrap statements in a policy document of the current policy language version."""
    return {"Version": "2012-10-17", "Statement": list(statements)}


def service_trust(
    service: str, source_account: pulumi.Input[str] | None, *, tag_session: bool = False
) -> PolicyDocument:
    """Trust policy letting one AWS service assume a role, on behalf of this account only.

    The `aws:SourceAccount` condition closes the confused-deputy hole: another account's
    resources cannot make the service act with this role. Pass None only for services that
    assume the role for this account's own resources and send no source account (EC2 for an
    instance profile, EKS for its control plane). `tag_session` adds `sts:TagSession`.
    """
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": ["sts:AssumeRole", "sts:TagSession"] if tag_session else "sts:AssumeRole",
    }
    if source_account is not None:
        statement["Condition"] = {"StringEquals": {"aws:SourceAccount": source_account}}
    return document(statement)


def to_json(policy: PolicyDocument) -> pulumi.Output[str]:
    """Serialise a document whose values may be Outputs."""
    return pulumi.Output.json_dumps(policy)
