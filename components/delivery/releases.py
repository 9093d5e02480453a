"""Release records as the Pulumi program reads them: the first version, and what a record says.

Pure and standard-library only. A record is the JSON the promotion workflow keeps in the SSM
parameter `/mlops/<env>/release/<target>` (`lambdas/common/release.py`); the program deploys
exactly the version it names. A record with an image and a model artifact serves those (the
image the pipeline built, pinned by the digest the verifier checks; the package ARN beside them
is the version's lineage); a record with only a package serves the package.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from mlops_platform.components.core.errors import Problem

FIRST_VERSION = "first version"
"""Where a release came from when no record exists yet: the stack file's committed version."""
RECORD = "release record"
"""Where a release came from when the record exists."""
ENVIRONMENTS = ("dev", "staging", "prod")
_PACKAGE_ARN = re.compile(
    r"arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:model-package/(?P<group>[^/]+)/(?P<version>[0-9]+)"
)


@dataclass(frozen=True)
class Release:
    """What one target serves, and where that was read from."""

    target: str
    """The endpoint's or the model service's name, as the workflow, its lock and alarms say."""
    version: int
    """The record's version (the package version; 1 for a first version without a package)."""
    package_arn: str | None
    """The model package released; served itself only when the record has no image."""
    image: str | None
    """The inference image to serve (by digest from the pipeline); None: serve the package."""
    model_data: str | None
    """The model artifact's `s3://` URI served with `image`."""
    source: str
    """`RECORD` or `FIRST_VERSION`."""
    package_image: str | None = None
    """The image inside the served package, as the record names it (its repository is pulled)."""


_ECR_IMAGE = re.compile(
    r"(?P<account>[0-9]{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/(?P<name>[a-z0-9._/-]+)[:@].+"
)


def repository_arn(image: str) -> str | None:
    """The ARN of the ECR repository an image URI comes from; None for any other image."""
    match = _ECR_IMAGE.fullmatch(image)
    if match is None:
        return None
    return f"arn:aws:ecr:{match['region']}:{match['account']}:repository/{match['name']}"


def first_record(
    *,
    endpoint_name: str,
    variant: str,
    package_arn: str | None,
    image: str | None,
    model_data: str | None,
    instance_count: int,
    weight: float,
    image_digest: str,
    commit: str,
) -> str:
    """The JSON the platform creates the parameter with: the stack file's committed version.

    A whole release record (`ReleaseRecord.parse` accepts it): the stack file gives the image's
    digest and the commit beside the image and artifact; `extra.source` says it is the seed.
    """
    version = 1
    if package_arn:
        match = _PACKAGE_ARN.fullmatch(package_arn)
        version = int(match.group("version")) if match else 1
    record = {
        "version": version,
        "package_arn": package_arn or "",
        "image": image or "",
        "image_digest": image_digest,
        "model_data_url": model_data or "",
        "commit": commit,
        "endpoint_name": endpoint_name,
        "variants": [{"name": variant, "weight": weight, "instance_count": instance_count}],
        "extra": {"written_by": "platform", "source": FIRST_VERSION},
    }
    return json.dumps(record, sort_keys=True)


def _group_problem(field: str, arn: str, endpoint: str, owner: str = "endpoint") -> Problem | None:
    match = _PACKAGE_ARN.fullmatch(arn)
    if match is None:
        return Problem(field, arn, "not a model package version ARN")
    group = match.group("group")
    own = re.fullmatch(rf"(?:{'|'.join(ENVIRONMENTS)})-{re.escape(endpoint)}-[a-z0-9]{{8}}", group)
    if own is None:
        return Problem(
            field,
            arn,
            f"belongs to the package group {group!r}, not to a registry of {owner} {endpoint!r}",
        )
    return None


def _load(text: str, field: str) -> dict[str, Any]:
    """The record's JSON object; raises `ValueError` naming `field` when it is not one."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{field} = {text!r}: not JSON ({error.msg})") from None
    if not isinstance(record, dict):
        raise ValueError(f"{field} = {text!r}: must be a JSON object")
    return record


def parse_record(text: str, *, target: str, endpoint: str, variant: str) -> Release:
    """Read one record; raises `ValueError` naming every bad field (with the parameter's path).

    The package, when there is one, must belong to a registry of `endpoint` (any environment's:
    staging and prod serve dev's packages); the record's variants must name `variant`. The
    image and artifact are served when the record has both, else the package.
    """
    field = f"release record of {target!r}"
    record = _load(text, field)
    problems = _record_problems(record, field, endpoint, variant)
    if problems:
        raise ValueError("; ".join(str(p) for p in problems))
    package = record.get("package_arn") or None
    image = str(record.get("image") or "") or None
    model_data = str(record.get("model_data_url") or "") or None
    if image and model_data:  # what the pipeline built and verify checks by digest
        return Release(target, int(record["version"]), package, image, model_data, RECORD)
    return Release(
        target=target,
        version=int(record["version"]),
        package_arn=package,
        image=None,
        model_data=None,
        source=RECORD,
        package_image=image,
    )


def _record_problems(
    record: dict[str, object], field: str, endpoint: str, variant: str
) -> list[Problem]:
    problems = []
    version = record.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(Problem(f"{field}.version", version, "a whole number, 1 or more"))
    package = record.get("package_arn")
    if package:
        found = _group_problem(f"{field}.package_arn", str(package), endpoint)
        problems += [found] if found else []
    else:
        for key, prefix in (("image", ""), ("model_data_url", "s3://")):
            value = record.get(key)
            if not isinstance(value, str) or not value.startswith(prefix) or not value:
                problems.append(Problem(f"{field}.{key}", value, "required without a package_arn"))
    listed = record.get("variants")
    entries = listed if isinstance(listed, list) else []
    names = [v.get("name") for v in entries if isinstance(v, dict)]
    if names and variant not in names:
        problems.append(
            Problem(
                f"{field}.variants",
                names,
                f"no variant {variant!r}: the record is for another target",
            )
        )
    return problems


def first_service_record(
    *, service: str, image: str, model_uri: str, image_digest: str, commit: str
) -> str:
    """The seed of a model service's record: the stack file's image and model, no package.

    The service is the target and its own `endpoint_name`; it has no SageMaker variants.
    """
    record = {
        "version": 1,
        "package_arn": "",
        "image": image,
        "image_digest": image_digest,
        "model_data_url": model_uri,
        "commit": commit,
        "endpoint_name": service,
        "variants": [],
        "extra": {"written_by": "platform", "source": FIRST_VERSION},
    }
    return json.dumps(record, sort_keys=True)


def parse_service_record(text: str, *, service: str) -> Release:
    """Read a model service's record; raises `ValueError` naming every bad field.

    The record must name `service` as what serves it (a record of another target is refused),
    carry an image and an `s3://` model URI (a service has no SageMaker model package to run),
    and any package it names must belong to a registry of this model (`<env>-<service>-...`).
    """
    field = f"release record of {service!r}"
    record = _load(text, field)
    problems = _service_problems(record, field, service)
    if problems:
        raise ValueError("; ".join(str(p) for p in problems))
    return Release(
        target=service,
        version=int(record["version"]),
        package_arn=str(record.get("package_arn") or "") or None,
        image=str(record["image"]),
        model_data=str(record["model_data_url"]),
        source=RECORD,
    )


def _service_problems(record: dict[str, object], field: str, service: str) -> list[Problem]:
    problems = []
    version = record.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(Problem(f"{field}.version", version, "a whole number, 1 or more"))
    if record.get("endpoint_name") != service:
        problems.append(
            Problem(
                f"{field}.endpoint_name",
                record.get("endpoint_name"),
                f"the record is for another target: service {service!r} serves it",
            )
        )
    package = record.get("package_arn")
    if package:
        found = _group_problem(f"{field}.package_arn", str(package), service, "service")
        problems += [found] if found else []
    for key, prefix in (("image", ""), ("model_data_url", "s3://")):
        value = record.get(key)
        if not isinstance(value, str) or not value or not value.startswith(prefix):
            problems.append(Problem(f"{field}.{key}", value, f"a service needs its {key}"))
    return problems
