"""The "SageMaker Model Package State Change" event, parsed and judged without AWS calls.

The documented shape (EventBridge, source `aws.sagemaker`) carries in `detail` the package's
`ModelPackageArn`, `ModelPackageGroupName`, `ModelPackageVersion` and `ModelApprovalStatus`
(`Approved`, `Rejected` or `PendingManualApproval`), among other fields this module ignores.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

SOURCE = "aws.sagemaker"
DETAIL_TYPE = "SageMaker Model Package State Change"
APPROVED = "Approved"
STATUSES = frozenset({APPROVED, "Rejected", "PendingManualApproval"})
_PACKAGE_ARN = re.compile(
    r"arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:model-package/(?P<group>[^/]+)/(?P<version>[0-9]+)"
)


class InvalidEventError(ValueError):
    """An event that is not a model package state change this trigger can act on."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        """Every bad field, one message each."""
        super().__init__("invalid model package event: " + "; ".join(problems))


@dataclass(frozen=True)
class PackageChange:
    """What the trigger needs from one event."""

    package_arn: str
    """The exact ARN of the model package version that changed."""
    group: str
    """Its model package group."""
    version: int
    """Its version number in the group."""
    status: str
    """Its approval status after the change."""

    @property
    def approved(self) -> bool:
        """Whether the package is now approved (the only change that starts a run)."""
        return self.status == APPROVED

    @property
    def request_token(self) -> str:
        """An idempotency token for StartPipelineExecution derived from the package ARN."""
        return hashlib.sha256(self.package_arn.encode()).hexdigest()


def _text(detail: Mapping[str, object], key: str, problems: list[str]) -> str:
    value = detail.get(key)
    if not isinstance(value, str) or not value:
        problems.append(f"detail.{key} = {value!r}: must be a non-empty string")
        return ""
    return value


def _check_envelope(event: Mapping[str, object], problems: list[str]) -> None:
    if event.get("source") != SOURCE:
        problems.append(f"source = {event.get('source')!r}: must be {SOURCE!r}")
    if event.get("detail-type") != DETAIL_TYPE:
        problems.append(f"detail-type = {event.get('detail-type')!r}: must be {DETAIL_TYPE!r}")


def _check_arn(arn: str, group: str, problems: list[str]) -> int:
    match = _PACKAGE_ARN.fullmatch(arn)
    if match is None:
        problems.append(f"detail.ModelPackageArn = {arn!r}: not a model package version ARN")
        return 0
    if group and match.group("group").lower() != group.lower():
        problems.append(
            f"detail.ModelPackageArn = {arn!r}: belongs to group {match.group('group')!r}, "
            f"not {group!r}"
        )
    return int(match.group("version"))


def parse(event: Mapping[str, object], expected_group: str) -> PackageChange:
    """Read one event; raises `InvalidEventError` naming every bad field.

    `expected_group` is the group this pipeline delivers: an event of another model's group is
    invalid here, whatever its status.
    """
    problems: list[str] = []
    _check_envelope(event, problems)
    raw = event.get("detail")
    detail: Mapping[str, object] = raw if isinstance(raw, Mapping) else {}
    if not isinstance(raw, Mapping):
        problems.append(f"detail = {raw!r}: must be an object")
    arn = _text(detail, "ModelPackageArn", problems)
    group = _text(detail, "ModelPackageGroupName", problems)
    status = _text(detail, "ModelApprovalStatus", problems)
    if status and status not in STATUSES:
        problems.append(
            f"detail.ModelApprovalStatus = {status!r}: allowed: {', '.join(sorted(STATUSES))}"
        )
    if group and group != expected_group:
        problems.append(
            f"detail.ModelPackageGroupName = {group!r}: this pipeline delivers {expected_group!r}"
        )
    version = _check_arn(arn, group, problems) if arn else 0
    if problems:
        raise InvalidEventError(problems)
    return PackageChange(package_arn=arn, group=group, version=version, status=status)
