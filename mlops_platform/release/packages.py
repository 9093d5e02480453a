"""From `--package ARN|VERSION` to the release record and the promotion's execution input."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlops_platform.lambdas.common.release import ReleaseRecord

from .errors import BadInput, Refused

_PACKAGE_ARN = re.compile(r"^arn:aws[a-z-]*:sagemaker:[^:]+:\d{12}:model-package/([^/]+)/(\d+)$")
_ENVIRONMENTS = ("dev", "staging", "prod")


def is_service(target: str, current: ReleaseRecord | None) -> bool:
    """Whether `target` is a model service: its record is a service's (itself, no variants)."""
    return current is not None and current.endpoint_name == target and not current.variants


def service_group_problem(target: str, group: str) -> str:
    """Why a service's record may not name a package of `group`; empty when it may.

    The serving layer serves a service's record only when its package belongs to a registry
    of that service (`<env>-<service>-<8 characters>`, any environment's).
    """
    own = rf"(?:{'|'.join(_ENVIRONMENTS)})-{re.escape(target)}-[a-z0-9]{{8}}"
    if re.fullmatch(own, group):
        return ""
    return (
        f"a package of {group!r}, but model service {target!r} serves packages of its own "
        f"registries only (<env>-{target}-<8 characters>)"
    )


@dataclass(frozen=True)
class PromotionSettings:
    """How one promotion runs; defaults per environment, then outputs, then flags."""

    approval_required: bool
    """Whether a person must approve (prod: yes)."""
    approval_timeout_seconds: int = 3600
    """How long to wait for the approver."""
    bake_interval_seconds: int = 300
    """Seconds between two looks at the alarms."""
    bake_checks: int = 6
    """Looks at the alarms before the version counts as promoted."""
    poll_seconds: int = 30
    """Seconds between two polls of the deploy and of the endpoint."""
    max_polls: int = 60
    """Polls before verification gives up."""
    lock_ttl_seconds: int = 7200
    """Expiry of the lock, a last resort."""

    @classmethod
    def for_target(
        cls, env: str, output: Mapping[str, Any], flags: Mapping[str, Any]
    ) -> PromotionSettings:
        """Defaults of `env`, overridden by the target's outputs, then by flags not None."""
        values: dict[str, Any] = {"approval_required": env == "prod"}
        for name in cls.__dataclass_fields__:
            for source in (output, flags):
                if source.get(name) is not None:
                    values[name] = source[name]
        return cls(**values)


def package_arn(given: str, target: str, current: ReleaseRecord | None, group: str) -> str:
    """The model package ARN `--package` names; `BadInput` for another model's package.

    Args:
        given: An ARN, or a version number of the target's package group.
        target: The target promoted.
        current: Its release record (its package names the group and the account).
        group: The target's package group from the outputs, or empty.
    """
    base = current.package_arn if current else ""
    matched = _PACKAGE_ARN.match(base)
    group = group or (matched.group(1) if matched else "")
    if given.isdigit() and int(given) > 0:
        if not matched:
            has = "no release record yet" if current is None else "no package in its record yet"
            raise BadInput(
                f"--package {given}: a version needs the target's package ARN; {target!r} has "
                f"{has}, so give the model package ARN"
            )
        return f"{base.rsplit('/', 1)[0]}/{int(given)}"
    found = _PACKAGE_ARN.match(given)
    if not found:
        raise BadInput(
            f"--package {given!r} is neither a version number nor a model package ARN "
            "(arn:aws:sagemaker:REGION:ACCOUNT:model-package/GROUP/VERSION)"
        )
    if group and found.group(1) != group:
        raise BadInput(
            f"--package {given}: a package of model {found.group(1)!r}, but target {target!r} "
            f"serves model {group!r}"
        )
    problem = service_group_problem(target, found.group(1)) if is_service(target, current) else ""
    if problem:
        raise BadInput(f"--package {given}: {problem}")
    return given


def release_record(
    sagemaker: Any, arn: str, current: ReleaseRecord | None, output: Mapping[str, Any]
) -> ReleaseRecord:
    """The release record of package `arn` on the target's endpoint and variants."""
    try:
        described = sagemaker.describe_model_package(ModelPackageName=arn)
    except sagemaker.exceptions.ClientError as error:
        raise Refused(f"model package {arn} cannot be read: {error}") from None
    containers = described.get("InferenceSpecification", {}).get("Containers") or [{}]
    metadata = described.get("CustomerMetadataProperties", {})
    commit = described.get("MetadataProperties", {}).get("CommitId") or metadata.get(
        "lineage:commit", ""
    )
    endpoint = str(output.get("endpoint_name") or (current.endpoint_name if current else ""))
    values = {
        "version": int(described.get("ModelPackageVersion") or arn.rsplit("/", 1)[1]),
        "package_arn": arn,
        "image": containers[0].get("Image", ""),
        "image_digest": containers[0].get("ImageDigest") or metadata.get("image_digest", ""),
        "model_data_url": containers[0].get("ModelDataUrl") or metadata.get("model_data_url", ""),
        "commit": commit,
        "endpoint_name": endpoint,
        "variants": [
            {"name": v.name, "weight": v.weight, "instance_count": v.instance_count}
            for v in (current.variants if current else ())
        ]
        or list(output.get("variants", [])),
    }
    try:
        return ReleaseRecord.parse(values, f"release record of {arn}")
    except ValueError as error:
        raise Refused(f"model package {arn} cannot be promoted: {error}") from None


def promotion_input(  # noqa: PLR0917 - the execution input's parts, each one named.
    env: str,
    target: str,
    actor: str,
    record: ReleaseRecord,
    settings: PromotionSettings,
    alarm_names: list[str],
) -> dict[str, Any]:
    """The execution input of the promotion workflow (docs/workflows.md)."""
    return {
        "env": env,
        "target": target,
        "actor": actor,
        "release": record.as_dict(),
        "approval": {
            "required": settings.approval_required,
            "timeout_seconds": settings.approval_timeout_seconds,
        },
        "bake": {
            "interval_seconds": settings.bake_interval_seconds,
            "checks": settings.bake_checks,
            "alarm_names": alarm_names,
        },
        "timing": {"poll_seconds": settings.poll_seconds, "max_polls": settings.max_polls},
        "lock_ttl_seconds": settings.lock_ttl_seconds,
    }


def tagged_alarms(cloudwatch: Any, env: str, target: str) -> list[str]:
    """Alarms tagged `mlops:env` = env and `mlops:target` = target (the bake watches them)."""
    names = []
    for page in cloudwatch.get_paginator("describe_alarms").paginate():
        for alarm in page["MetricAlarms"]:
            tags = cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"]
            by_key = {t["Key"]: t["Value"] for t in tags}
            if by_key.get("mlops:env") == env and by_key.get("mlops:target") == target:
                names.append(str(alarm["AlarmName"]))
    return sorted(names)
