from __future__ import annotations

from typing import Any

from mlops_platform.policies.cloudtrail.data_events import POLICY
from tests.policies.cloudtrail._fixtures import COMPLIANT, TRAIL
from tests.policies.harness import UNKNOWN, Stack

BUCKET = "aws:s3/bucket:Bucket"
MODEL = "aws:sagemaker/model:Model"
MANAGEMENT = {"fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}


def data_selector(*arns: str) -> dict[str, Any]:
    fields: list[dict[str, Any]] = [
        {"field": "eventCategory", "equals": ["Data"]},
        {"field": "resources.type", "equals": ["AWS::S3::Object"]},
    ]
    if arns:
        fields.append({"field": "resources.ARN", "startsWiths": list(arns)})
    return {"fieldSelectors": fields}


def stack(*selectors: dict[str, Any]) -> Stack:
    s = Stack()
    s.add(BUCKET, "models", {"bucket": "acme-models", "tags": {"Purpose": "models"}})
    props = {**COMPLIANT, "advancedEventSelectors": [MANAGEMENT, *selectors]}
    s.add(TRAIL, "trail", props)
    return s


MESSAGE = (
    "Bucket 'models' {reason} but no trail records its object events; add an advanced event "
    "selector for AWS::S3::Object data events on it"
)


def test_a_selector_naming_the_bucket_passes() -> None:
    assert stack(data_selector("arn:aws:s3:::acme-models/")).check(POLICY) == []


def test_a_selector_for_every_bucket_passes() -> None:
    assert stack(data_selector()).check(POLICY) == []


def test_an_arn_from_the_buckets_output_counts_during_preview() -> None:
    s = Stack()
    s.add(BUCKET, "models", {"tags": {"Purpose": "models"}})
    props = {**COMPLIANT, "advancedEventSelectors": [MANAGEMENT, data_selector(UNKNOWN)]}
    s.add(TRAIL, "trail", props, deps={"advancedEventSelectors": "models"})
    assert s.check(POLICY) == []


def test_management_events_only_is_reported_on_the_bucket() -> None:
    s = stack()
    assert s.check(POLICY) == [
        (MESSAGE.format(reason="is tagged Purpose=models"), s.resources[0].urn)
    ]


def test_a_selector_for_another_bucket_does_not_cover() -> None:
    s = stack(data_selector("arn:aws:s3:::other-bucket/"))
    assert [m for m, _ in s.check(POLICY)] == [MESSAGE.format(reason="is tagged Purpose=models")]


def test_lambda_data_events_do_not_cover_s3() -> None:
    selector = {
        "fieldSelectors": [
            {"field": "eventCategory", "equals": ["Data"]},
            {"field": "resources.type", "equals": ["AWS::Lambda::Function"]},
        ]
    }
    assert len(stack(selector).check(POLICY)) == 1


def test_a_bucket_a_model_reads_from_is_watched() -> None:
    s = Stack()
    s.add(BUCKET, "artifacts")
    s.add(
        MODEL,
        "model",
        {"primaryContainer": {"modelDataUrl": UNKNOWN}},
        deps={"primaryContainer": "artifacts"},
    )
    s.add(TRAIL, "trail", {**COMPLIANT, "advancedEventSelectors": [MANAGEMENT]})
    assert [m for m, _ in s.check(POLICY)] == [
        "Bucket 'artifacts' holds model artifacts but no trail records its object events; add an "
        "advanced event selector for AWS::S3::Object data events on it"
    ]


def test_without_a_trail_the_present_rule_reports_instead() -> None:
    s = Stack()
    s.add(BUCKET, "models", {"tags": {"Purpose": "models"}})
    assert s.check(POLICY) == []


def test_watched_purposes_come_from_config() -> None:
    s = stack()
    assert s.check(POLICY, {"watchedPurposes": ["features"]}) == []


def basic(*values: str) -> Stack:
    s = Stack()
    s.add(BUCKET, "models", {"bucket": "acme-models", "tags": {"Purpose": "models"}})
    selector = {
        "readWriteType": "All",
        "includeManagementEvents": True,
        "dataResources": [{"type": "AWS::S3::Object", "values": list(values)}],
    }
    s.add(TRAIL, "trail", {**COMPLIANT, "eventSelectors": [selector]})
    return s


def test_basic_selectors_naming_the_bucket_or_every_bucket_pass() -> None:
    assert basic("arn:aws:s3:::acme-models/").check(POLICY) == []
    assert basic("arn:aws:s3").check(POLICY) == []


def test_a_basic_selector_for_another_bucket_does_not_cover() -> None:
    assert len(basic("arn:aws:s3:::other/").check(POLICY)) == 1
