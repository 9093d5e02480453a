from __future__ import annotations

import json
from typing import Any

import pytest

from mlops_platform.components.audit import documents
from mlops_platform.components.audit.args import check_audit
from mlops_platform.components.core import Problem

ACCOUNT = "123456789012"
TRAIL = documents.trail_arn("aws", "eu-west-1", ACCOUNT, "audit-trail")
BUCKET = "arn:aws:s3:::audit-bucket"
GROUP = f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:audit-trail"
READER = f"arn:aws:iam::{ACCOUNT}:role/auditor"
MODELS = "arn:aws:s3:::models-bucket"


def by_sid(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The statements by Sid, after a JSON round trip (what AWS receives)."""
    parsed = json.loads(json.dumps(document))
    assert parsed["Version"] == "2012-10-17"
    return {statement["Sid"]: statement for statement in parsed["Statement"]}


def test_trail_arn_is_built_from_the_name() -> None:
    assert TRAIL == "arn:aws:cloudtrail:eu-west-1:123456789012:trail/audit-trail"


def test_bucket_policy_denies_plain_http_on_bucket_and_objects() -> None:
    deny = by_sid(
        documents.audit_bucket_policy(bucket_arn=BUCKET, trail=TRAIL, account_id=ACCOUNT)
    )["DenyInsecureTransport"]
    assert deny == {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [BUCKET, f"{BUCKET}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def test_bucket_policy_admits_cloudtrail_for_this_trail_only() -> None:
    statements = by_sid(
        documents.audit_bucket_policy(bucket_arn=BUCKET, trail=TRAIL, account_id=ACCOUNT)
    )
    assert set(statements) == {"DenyInsecureTransport", "CloudTrailAclCheck", "CloudTrailWrite"}
    acl = statements["CloudTrailAclCheck"]
    assert (acl["Effect"], acl["Action"], acl["Resource"]) == ("Allow", "s3:GetBucketAcl", BUCKET)
    assert acl["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert acl["Condition"] == {"StringEquals": {"aws:SourceArn": TRAIL}}
    write = statements["CloudTrailWrite"]
    assert (write["Effect"], write["Action"]) == ("Allow", "s3:PutObject")
    assert write["Resource"] == f"{BUCKET}/AWSLogs/{ACCOUNT}/*"
    assert write["Condition"] == {
        "StringEquals": {"aws:SourceArn": TRAIL, "s3:x-amz-acl": "bucket-owner-full-control"}
    }


def key_policy(readers: list[str]) -> dict[str, dict[str, Any]]:
    return by_sid(
        documents.trail_key_policy(
            account_id=ACCOUNT,
            region="eu-west-1",
            trail=TRAIL,
            reader_arns=readers,
            log_group_arn=f"{GROUP}:*",
        )
    )


def test_key_policy_account_manages_but_cannot_use_the_key() -> None:
    admin = key_policy([READER])["AccountManagesKey"]
    assert admin["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    assert "kms:*" not in admin["Action"]
    for action in admin["Action"]:
        assert not action.startswith(("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"))
        assert not action.startswith("kms:ReEncrypt")
    assert "kms:Put*" in admin["Action"]  # the account can always rewrite the key policy


def test_key_policy_cloudtrail_encrypts_for_this_trail_only() -> None:
    statements = key_policy([READER])
    encrypt = statements["CloudTrailEncrypts"]
    assert encrypt["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert encrypt["Action"] == "kms:GenerateDataKey*"
    assert encrypt["Condition"] == {
        "StringEquals": {
            "aws:SourceArn": TRAIL,
            "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL,
        }
    }
    describe = statements["CloudTrailDescribesKey"]
    assert describe["Action"] == "kms:DescribeKey"
    assert describe["Condition"] == {"StringEquals": {"aws:SourceArn": TRAIL}}


def test_key_policy_only_named_readers_decrypt() -> None:
    statements = key_policy([READER, f"arn:aws:iam::{ACCOUNT}:role/analyst"])
    decrypters = [sid for sid, s in statements.items() if "kms:Decrypt" in json.dumps(s["Action"])]
    assert sorted(decrypters) == [
        "CloudWatchLogsUsesKeyForTrailGroup",
        "NamedReadersDecryptLogFiles",
    ]
    readers = statements["NamedReadersDecryptLogFiles"]
    assert readers["Principal"] == {"AWS": [f"arn:aws:iam::{ACCOUNT}:role/analyst", READER]}
    assert readers["Action"] == "kms:Decrypt"
    assert readers["Condition"] == {"Null": {"kms:EncryptionContext:aws:cloudtrail:arn": "false"}}


def test_key_policy_without_readers_has_no_reader_statement() -> None:
    assert "NamedReadersDecryptLogFiles" not in key_policy([])


def test_key_policy_lets_cloudwatch_logs_use_it_for_the_trail_group_only() -> None:
    logs = key_policy([READER])["CloudWatchLogsUsesKeyForTrailGroup"]
    assert logs["Principal"] == {"Service": "logs.eu-west-1.amazonaws.com"}
    assert logs["Condition"] == {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": GROUP}}


def test_no_statement_grants_a_wildcard_principal() -> None:
    for statement in key_policy([READER]).values():
        assert statement["Principal"] != "*"
        assert "*" not in json.dumps(statement["Principal"])


def test_log_role_is_assumable_by_cloudtrail_for_this_trail() -> None:
    trust = json.loads(json.dumps(documents.log_role_trust(TRAIL)))
    assert trust["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceArn": TRAIL}},
        }
    ]


@pytest.mark.parametrize("group", [GROUP, f"{GROUP}:*"])
def test_log_role_policy_is_scoped_to_the_trail_group(group: str) -> None:
    (statement,) = json.loads(json.dumps(documents.log_role_policy(group)))["Statement"]
    assert statement["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert statement["Resource"] == f"{GROUP}:log-stream:*"


def test_event_selectors_record_management_and_bucket_object_events() -> None:
    management, data = documents.event_selectors([MODELS, "arn:aws:s3:::capture", MODELS])
    assert management["field_selectors"] == [{"field": "eventCategory", "equals": ["Management"]}]
    assert data["field_selectors"] == [
        {"field": "eventCategory", "equals": ["Data"]},
        {"field": "resources.type", "equals": ["AWS::S3::Object"]},
        {"field": "resources.ARN", "starts_withs": ["arn:aws:s3:::capture/", f"{MODELS}/"]},
    ]


def test_event_selectors_without_buckets_record_management_events_only() -> None:
    assert [s["name"] for s in documents.event_selectors([])] == ["All management events"]


@pytest.mark.parametrize(
    ("environment", "mode"),
    [("prod", "COMPLIANCE"), ("staging", "GOVERNANCE"), ("dev", "GOVERNANCE")],
)
def test_object_lock_mode_per_environment(environment: str, mode: str) -> None:
    assert documents.object_lock_settings(environment, 400) == {
        "object_lock_enabled": "Enabled",
        "rule": {"default_retention": {"mode": mode, "days": 400}},
    }


def test_object_lock_rejects_a_bad_retention() -> None:
    with pytest.raises(ValueError, match=r"^retention_days = 0: must be 1 to 36500 days"):
        documents.object_lock_settings("dev", 0)


VALID: dict[str, Any] = {
    "environment": "prod",
    "retention_days": 2555,
    "mode": "COMPLIANCE",
    "reader_arns": [READER],
    "data_bucket_arns": [MODELS],
}


def test_valid_prod_settings_have_no_problem() -> None:
    assert check_audit(**VALID) == []


def test_dev_may_lock_briefly_in_governance_with_no_reader() -> None:
    dev = {**VALID, "environment": "dev", "retention_days": 1, "mode": "GOVERNANCE"}
    assert check_audit(**{**dev, "reader_arns": [], "data_bucket_arns": []}) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"retention_days": 0},
            Problem("retention_days", 0, "must be 1 to 36500 days (S3's limits)"),
        ),
        (
            {"retention_days": 36501},
            Problem("retention_days", 36501, "must be 1 to 36500 days (S3's limits)"),
        ),
        (
            {"retention_days": 30},
            Problem("retention_days", 30, "prod keeps its audit record at least 365 days"),
        ),
        (
            {"retention_days": "30"},
            Problem("retention_days", "30", "must be a whole number of days"),
        ),
        (
            {"retention_days": True},
            Problem("retention_days", True, "must be a whole number of days"),
        ),
        (
            {"mode": "GOVERNANCE"},
            Problem(
                "mode",
                "GOVERNANCE",
                "prod locks its audit record in COMPLIANCE mode, which no one can shorten",
            ),
        ),
        ({"mode": "compliance"}, Problem("mode", "compliance", "must be COMPLIANCE or GOVERNANCE")),
        (
            {"reader_arns": []},
            Problem("reader_arns", [], "prod names at least one role that may read the trail"),
        ),
        (
            {"reader_arns": [READER, "arn:aws:iam::123456789012:role/*"]},
            Problem(
                "reader_arns[1]",
                "arn:aws:iam::123456789012:role/*",
                "must be the ARN of an IAM role, user or account root, with no wildcard",
            ),
        ),
        (
            {"data_bucket_arns": []},
            Problem(
                "data_bucket_arns",
                [],
                "prod records object events on its model, capture and artifact buckets",
            ),
        ),
        (
            {"data_bucket_arns": ["arn:aws:s3:::models-bucket/prefix"]},
            Problem(
                "data_bucket_arns[0]",
                "arn:aws:s3:::models-bucket/prefix",
                "must be a bucket ARN (arn:aws:s3:::name), with no key and no wildcard",
            ),
        ),
    ],
)
def test_bad_audit_settings(change: dict[str, Any], expected: Problem) -> None:
    assert check_audit(**{**VALID, **change}) == [expected]


def test_every_problem_is_reported_at_once() -> None:
    bad = {**VALID, "retention_days": 0, "mode": "GOVERNANCE", "reader_arns": []}
    assert [p.field for p in check_audit(**bad)] == ["retention_days", "mode", "reader_arns"]


def test_problem_renders_field_value_and_reason() -> None:
    assert str(Problem("mode", "x", "why")) == "mode = 'x': why"
