"""Where an image may be pulled from: an ECR registry of the puller's own region.

SageMaker and EKS nodes pull ECR images through the VPC's `ecr.dkr` endpoint, which serves the
region's registries only. An image of another account's registry is pulled when that
repository's policy grants the pulling account (the cross-account pattern of
`docs/images.md`); the puller's role must also be allowed to read it.
"""

from __future__ import annotations

import re

from mlops_platform.components.core.errors import Problem

_ECR = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?"
    r"/(?P<repository>[^:@]+)"
)


def ecr_parts(image: str) -> tuple[str, str, str] | None:
    """The account, region and repository of an ECR image URI; None for other registries."""
    match = _ECR.match(image)
    return None if match is None else (match["account"], match["region"], match["repository"])


def check_pull_region(field: str, image: object, region: str) -> list[Problem]:
    """An ECR image must be in `region`'s registries; other registries are not checked here."""
    parts = ecr_parts(image) if isinstance(image, str) else None
    if parts is None or parts[1] == region:
        return []
    return [
        Problem(
            field,
            image,
            f"an ECR image of {region}, the stack's region (pulls go through the region's "
            f"ecr.dkr endpoint); replicate {parts[2]} to {region} with ECR replication",
        )
    ]


def partition(region: str) -> str:
    """The AWS partition of a region (`aws`, `aws-cn`, `aws-us-gov`)."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"
