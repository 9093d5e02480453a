"""Every taggable resource carries the tags that say who owns and pays for it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import (
    Report,
    ResourceRule,
    RuleInfo,
    Settings,
    string_list,
)
from mlops_platform.policies.common.taggable import TAGGABLE_TYPES
from mlops_platform.policies.common.values import as_mapping, dig, parse_json, tags_of

INFO = RuleInfo(
    name="aws-governance-resource-required-tags",
    description="Taggable AWS resources carry the required tags, with values.",
    resource_types=tuple(sorted(TAGGABLE_TYPES)),
    severity=Severity.LOW,
    remediation=(
        "Pass the stack's common tags (StackConfig.tags) to the component that creates the "
        "resource; components hand them to every taggable child."
    ),
    params={
        "requiredTags": string_list(
            "Tag keys every taggable resource carries.",
            ["Environment", "Owner", "CostCentre", "ManagedBy", "Project"],
        )
    },
)


def _provider_tags(args: ResourceValidationArgs) -> Mapping[str, Any]:
    """Tags the resource's provider adds to everything (`defaultTags`, JSON text on the wire)."""
    if args.provider is None:
        return {}
    document, ok = parse_json(dig(args.provider.props, "defaultTags"))
    return as_mapping(dig(document, "tags")) if ok else {}


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    tags = {**_provider_tags(args), **tags_of(args.props)}
    missing = [key for key in settings["requiredTags"] if not tags.get(key)]
    if missing:
        report(f"missing required tags {', '.join(missing)}; pass the stack's common tags")


POLICY = ResourceRule(INFO, _check)
