from __future__ import annotations

import json

from mlops_platform.policies.governance.required_tags import POLICY
from tests.policies.harness import check_resource

VPC = "aws:ec2/vpc:Vpc"
TAGS = {
    "Environment": "prod",
    "Owner": "ml-platform",
    "CostCentre": "ml",
    "ManagedBy": "pulumi",
    "Project": "mlops-platform",
}


def test_all_tags_pass() -> None:
    assert check_resource(POLICY, VPC, {"tags": TAGS}) == []


def test_missing_and_empty_tags_are_named() -> None:
    tags = {**TAGS, "Owner": ""}
    del tags["CostCentre"]
    assert check_resource(POLICY, VPC, {"tags": tags}) == [
        "missing required tags Owner, CostCentre; pass the stack's common tags"
    ]


def test_provider_default_tags_count() -> None:
    provider = {"defaultTags": json.dumps({"tags": {"CostCentre": "ml"}})}
    tags = {key: value for key, value in TAGS.items() if key != "CostCentre"}
    assert check_resource(POLICY, VPC, {"tags": tags}, provider_props=provider) == []


def test_untaggable_types_are_left_alone() -> None:
    assert check_resource(POLICY, "aws:ec2/route:Route", {}) == []


def test_required_keys_come_from_config() -> None:
    assert (
        check_resource(POLICY, VPC, {"tags": {"Team": "ml"}}, config={"requiredTags": ["Team"]})
        == []
    )
