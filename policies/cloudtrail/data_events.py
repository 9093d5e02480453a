"""Trails record object-level events on the buckets that hold models, captures and artifacts.

Management events say who changed a bucket's settings; only S3 data events say who read,
replaced or deleted a model artifact. A bucket counts as covered when some trail's advanced
event selector (or a basic one's data resources) picks `AWS::S3::Object` data events with no ARN
filter, or with an ARN filter that refers to the bucket (by its output, or by its explicit name).
Stacks without any trail are left to `aws-cloudtrail-trail-present`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pulumi_policy import PolicyResource, Severity, StackValidationArgs
from pulumi_policy.proxy import UnknownValueError

from mlops_platform.policies.common.buckets import buckets
from mlops_platform.policies.common.rule import (
    Control,
    RuleInfo,
    Settings,
    StackReport,
    StackRule,
    string_list,
)
from mlops_platform.policies.common.stack import describe, explicit_names, linked, of_type
from mlops_platform.policies.common.types import SAGEMAKER_ENDPOINT_CONFIG, SAGEMAKER_MODEL, TRAIL
from mlops_platform.policies.common.values import as_list, dig, tags_of, text_list

INFO = RuleInfo(
    name="aws-cloudtrail-trail-model-data-events",
    description=(
        "A trail records S3 object events on every bucket that holds models, data capture or "
        "artifacts."
    ),
    resource_types=(TRAIL,),
    severity=Severity.MEDIUM,
    controls=(Control.cis("3.10"), Control.cis("3.11")),
    remediation=(
        "Add an advanced event selector to the trail: eventCategory = Data, resources.type = "
        "AWS::S3::Object, resources.ARN starting with each model, capture and artifact "
        "bucket's ARN followed by '/'."
    ),
    params={
        "purposeTagKey": {
            "type": "string",
            "minLength": 1,
            "description": "Tag that says what a bucket holds.",
            "default": "Purpose",
        },
        "watchedPurposes": string_list(
            "Values of the purpose tag whose buckets need data events.",
            ["models", "data-capture", "artifacts"],
        ),
    },
)

_USERS = (
    (SAGEMAKER_MODEL, "primaryContainer", "holds model artifacts"),
    (SAGEMAKER_MODEL, "containers", "holds model artifacts"),
    (SAGEMAKER_ENDPOINT_CONFIG, "dataCaptureConfig", "receives SageMaker data capture"),
)


def _watched(resources: Sequence[PolicyResource], settings: Settings) -> dict[str, str]:
    """Why each bucket needs data events, by bucket URN."""
    all_buckets = buckets(resources)
    key = settings["purposeTagKey"]
    reasons: dict[str, str] = {}
    for bucket in all_buckets:
        purpose = tags_of(bucket.props).get(key)
        if purpose in settings["watchedPurposes"]:
            reasons[bucket.urn] = f"is tagged {key}={purpose}"
    for type_, prop, reason in _USERS:
        for user in of_type(resources, type_):
            for bucket in linked(user, prop, all_buckets):
                reasons.setdefault(bucket.urn, reason)
    return reasons


def _field(selector: Any, name: str) -> Any:
    for field in as_list(dig(selector, "fieldSelectors")):
        if dig(field, "field") == name:
            return field
    return None


def _object_arn_filter(selector: Any) -> tuple[bool, list[str]]:
    """(selects S3 object data events, the ARN prefixes it is limited to; empty = all)."""
    category = _field(selector, "eventCategory")
    kind = _field(selector, "resources.type")
    if "Data" not in text_list(dig(category, "equals")):
        return False, []
    if "AWS::S3::Object" not in text_list(dig(kind, "equals")):
        return False, []
    arns = _field(selector, "resources.ARN")
    if arns is None:
        return True, []
    return True, text_list(dig(arns, "startsWiths")) + text_list(dig(arns, "equals"))


def _basic_filters(selector: Any) -> list[list[str]]:
    """ARN prefixes of each S3 object data resource of a basic event selector; [] = all."""
    found = []
    for resource in as_list(dig(selector, "dataResources")):
        if dig(resource, "type") != "AWS::S3::Object":
            continue
        values = text_list(dig(resource, "values"))
        every_bucket = any(value.rstrip(":") == "arn:aws:s3" for value in values)
        found.append([] if every_bucket else values)
    return found


def _selections(props: Any) -> list[list[str]]:
    """The ARN prefixes of each selection of S3 object data events; an empty list = all."""
    found = []
    for selector in as_list(dig(props, "advancedEventSelectors")):
        selects, prefixes = _object_arn_filter(selector)
        if selects:
            found.append(prefixes)
    for selector in as_list(dig(props, "eventSelectors")):
        found += _basic_filters(selector)
    return found


def _covers(
    trail: PolicyResource, bucket: PolicyResource, all_buckets: list[PolicyResource]
) -> bool:
    linked_by_output = any(
        bucket in linked(trail, prop, all_buckets)
        for prop in ("advancedEventSelectors", "eventSelectors")
    )
    names = explicit_names(bucket)
    try:
        selections = _selections(trail.props)
    except UnknownValueError:
        return linked_by_output
    for prefixes in selections:
        if not prefixes or linked_by_output:
            return True
        if any(prefix.split(":::", 1)[-1].split("/", 1)[0] in names for prefix in prefixes):
            return True
    return False


def _check(args: StackValidationArgs, settings: Settings, report: StackReport) -> None:
    trails = of_type(args.resources, TRAIL)
    if not trails:
        return
    all_buckets = buckets(args.resources)
    reasons = _watched(args.resources, settings)
    for bucket in all_buckets:
        reason = reasons.get(bucket.urn)
        if reason and not any(_covers(trail, bucket, all_buckets) for trail in trails):
            report(
                f"{describe(bucket)} {reason} but no trail records its object events; add an "
                "advanced event selector for AWS::S3::Object data events on it",
                bucket.urn,
            )


POLICY = StackRule(INFO, _check)
