"""Buckets and the standalone resources that configure them (`bucket` input)."""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_policy import PolicyResource

from mlops_platform.policies.common.stack import linked, of_type
from mlops_platform.policies.common.types import BUCKETS


def buckets(resources: Sequence[PolicyResource]) -> list[PolicyResource]:
    """Every bucket in the stack (both generations of the bucket type)."""
    return of_type(resources, *BUCKETS)


def companions(
    resources: Sequence[PolicyResource], types: Sequence[str]
) -> dict[str, list[PolicyResource]]:
    """For each bucket URN, the resources of `types` whose `bucket` input names that bucket."""
    found: dict[str, list[PolicyResource]] = {bucket.urn: [] for bucket in buckets(resources)}
    all_buckets = buckets(resources)
    for resource in of_type(resources, *types):
        for bucket in linked(resource, "bucket", all_buckets):
            found[bucket.urn].append(resource)
    return found
