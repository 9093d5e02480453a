"""The AWS names a ModelEndpoint produces, computed before anything exists, and their limits.

Pulumi auto-names a child `<logical name>-<7 random characters>`; the provider does not cap the
result at AWS's limits, so a name that is too long previews cleanly and fails on `pulumi up`.
These functions compute every physical name from the component's name and the variants, with
the suffix, and report each one over its limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mlops_platform.components.core.errors import Problem

AUTONAME_SUFFIX = "-xxxxxxx"
"""What auto-naming appends: a hyphen and 7 random characters (shown as `x`)."""
RANDOM_SUFFIX = "-xxxxxxxx"
"""What the endpoint's own name gets: a hyphen and the 8 characters of its RandomString."""
LOG_GROUP_PREFIX = "/aws/sagemaker/Endpoints/"
"""SageMaker writes an endpoint's container logs to this group plus the endpoint's name."""


@dataclass(frozen=True)
class Limit:
    """What AWS accepts for one kind of name."""

    what: str
    """The kind of name, for messages: `SageMaker model name`."""
    length: int
    """The most characters AWS accepts."""
    lowercase: bool = False
    """Whether AWS accepts lowercase only (S3 buckets); the name is lowercased as Pulumi does."""


SAGEMAKER = Limit("SageMaker model name", 63)
CONFIG = Limit("SageMaker endpoint configuration name", 63)
ENDPOINT = Limit("SageMaker endpoint name", 63)
ROLE = Limit("IAM role name", 64)
BUCKET = Limit("S3 bucket name", 63, lowercase=True)
ALARM = Limit("CloudWatch alarm name", 255)
LOG_GROUP = Limit("CloudWatch log group name", 512)
TOPIC = Limit("SNS topic name", 256)


@dataclass(frozen=True)
class PhysicalName:
    """One name the component produces: the field it comes from, the name and its limit."""

    field: str
    """What decides the name: `name` (the component's) or `variants[0].name`."""
    name: str
    limit: Limit


def physical_names(
    name: str,
    endpoint_prefix: str,
    variants: Sequence[str],
    *,
    capture: bool,
    own_topic: bool,
    alarm_purposes: Sequence[str],
) -> list[PhysicalName]:
    """Every physical name of the component `name` whose endpoint names start `endpoint_prefix`.

    `variants` are all the variants' names (each gets a model); `capture` adds the bucket,
    `own_topic` the alarm topic, `alarm_purposes` the endpoint's alarms.
    """
    endpoint = endpoint_prefix + RANDOM_SUFFIX
    names = [
        PhysicalName("name", endpoint, ENDPOINT),
        PhysicalName("name", f"{name}-config{AUTONAME_SUFFIX}", CONFIG),
        PhysicalName("name", f"{name}-role{AUTONAME_SUFFIX}", ROLE),
        PhysicalName("name", LOG_GROUP_PREFIX + endpoint, LOG_GROUP),
        *(PhysicalName("name", f"{endpoint}-{p}", ALARM) for p in alarm_purposes),
        *(
            PhysicalName(f"variants[{i}].name", f"{name}-{v}-model{AUTONAME_SUFFIX}", SAGEMAKER)
            for i, v in enumerate(variants)
        ),
    ]
    if capture:
        names.append(PhysicalName("name", f"{name}-capture{AUTONAME_SUFFIX}".lower(), BUCKET))
    if own_topic:
        names.append(PhysicalName("name", f"{name}-alarms{AUTONAME_SUFFIX}", TOPIC))
    return names


def check_names(names: Sequence[PhysicalName]) -> list[Problem]:
    """A problem for each name over its limit, naming the field, the name and the limit."""
    return [
        Problem(
            physical.field,
            physical.name,
            f"the {physical.limit.what} would be {len(physical.name)} characters with the "
            f"random suffix; AWS allows at most {physical.limit.length}: shorten the "
            f"{'variant' if physical.field.startswith('variants') else 'endpoint'}'s name",
        )
        for physical in names
        if len(physical.name) > physical.limit.length
    ]
