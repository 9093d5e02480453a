"""The AuditTrail component: its exact children, the lock, and the policies it writes."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from mlops_platform.components.audit import AuditTrail, AuditTrailArgs
from mlops_platform.components.core import ArgsError
from mlops_platform.testing import Registry
from tests.conftest import RunProgram, policy, statement

TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts"
MODELS = "arn:aws:s3:::acme-models"
LEDGER = "arn:aws:dynamodb:us-east-1:123456789012:table/ledger"
READER = "arn:aws:iam::123456789012:role/auditor"


def trail(run: RunProgram, **overrides: Any) -> Registry:
    values: dict[str, Any] = {
        "environment": "prod",
        "trail_name": "mlops-prod-audit",
        "retention_days": 400,
        "reader_arns": [READER],
        "data_bucket_arns": [MODELS],
        "tags": {"Environment": "prod"},
        **overrides,
    }
    return run(lambda: AuditTrail("audit", AuditTrailArgs(**values), TOPIC))


def test_a_trail_without_a_ledger_makes_exactly_these_children(run: RunProgram) -> None:
    registry = trail(run)
    children = registry.children_of(registry.one("mlops:audit:AuditTrail", "audit"))
    assert len(children) == len(registry) - 2
    assert Counter(c.type for c in children) == {
        "aws:kms/key:Key": 1,
        "aws:cloudwatch/logGroup:LogGroup": 1,
        "aws:s3/bucket:Bucket": 2,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 2,
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 2,
        "aws:s3/bucketVersioning:BucketVersioning": 2,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 2,
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": 1,
        "aws:s3/bucketLogging:BucketLogging": 1,
        "aws:s3/bucketPolicy:BucketPolicy": 2,
        "aws:iam/role:Role": 1,
        "aws:iam/rolePolicy:RolePolicy": 1,
        "aws:cloudtrail/trail:Trail": 1,
        "aws:cloudwatch/logMetricFilter:LogMetricFilter": 6,
        "aws:cloudwatch/metricAlarm:MetricAlarm": 6,
    }


def test_the_trail_is_multi_region_validated_encrypted_and_delivers_to_its_group(
    run: RunProgram,
) -> None:
    registry = trail(run)
    found = registry.one("aws:cloudtrail/trail:Trail").inputs
    key = registry.one("aws:kms/key:Key")
    assert found["name"] == "mlops-prod-audit"
    assert found["isMultiRegionTrail"] is True
    assert found["enableLogFileValidation"] is True
    assert found["includeGlobalServiceEvents"] is True
    assert found["kmsKeyId"] == key.state["arn"]
    group = registry.one("aws:cloudwatch/logGroup:LogGroup")
    assert group.inputs["name"] == "/mlops/audit/mlops-prod-audit"
    assert found["cloudWatchLogsGroupArn"] == group.state["arn"] + ":*"
    selectors = found["advancedEventSelectors"]
    assert selectors[1]["fieldSelectors"][2] == {
        "field": "resources.ARN",
        "startsWiths": [f"{MODELS}/"],
    }


@pytest.mark.parametrize(("environment", "mode"), [("prod", "COMPLIANCE"), ("dev", "GOVERNANCE")])
def test_the_bucket_is_created_locked_in_the_environments_mode(
    run: RunProgram, environment: str, mode: str
) -> None:
    registry = trail(run, environment=environment)
    bucket = registry.one("aws:s3/bucket:Bucket", "audit-bucket")
    assert bucket.inputs["objectLockEnabled"] is True
    assert bucket.inputs["tags"]["Purpose"] == "audit"
    lock = registry.one("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
    assert lock.inputs["rule"]["defaultRetention"] == {"mode": mode, "days": 400}
    logging = registry.one("aws:s3/bucketLogging:BucketLogging").inputs
    access_logs = registry.one("aws:s3/bucket:Bucket", "audit-access-logs")
    assert logging["targetBucket"] == access_logs.id


def test_the_bucket_admits_cloudtrail_only_for_this_trail(run: RunProgram) -> None:
    registry = trail(run)
    document = policy(registry.one("aws:s3/bucketPolicy:BucketPolicy", "audit-bucket-policy"))
    arn = "arn:aws:cloudtrail:us-east-1:123456789012:trail/mlops-prod-audit"
    write = statement(document, "CloudTrailWrite")
    assert write["Condition"]["StringEquals"]["aws:SourceArn"] == arn
    assert statement(document, "DenyInsecureTransport")["Effect"] == "Deny"


def test_only_named_readers_decrypt_and_iam_grants_no_use_of_the_key(run: RunProgram) -> None:
    registry = trail(run)
    document = policy(registry.one("aws:kms/key:Key"))
    assert statement(document, "NamedReadersDecryptLogFiles")["Principal"] == {"AWS": [READER]}
    assert "kms:Decrypt" not in statement(document, "AccountManagesKey")["Action"]
    assert "LedgerExportEncryptsThroughS3" not in json.dumps(document)


def test_cis_alarms_notify_the_topic(run: RunProgram) -> None:
    alarms = trail(run).all("aws:cloudwatch/metricAlarm:MetricAlarm")
    assert {a.inputs["alarmActions"][0] for a in alarms} == {TOPIC}
    assert "mlops-prod-audit-cis-4.3-root-usage" in {a.inputs["name"] for a in alarms}


def test_a_ledger_table_is_exported_on_a_schedule_into_the_locked_bucket(run: RunProgram) -> None:
    registry = trail(run, ledger_table_arn=LEDGER)
    schedule = registry.one("aws:scheduler/schedule:Schedule").inputs
    assert schedule["scheduleExpression"] == "rate(1 day)"
    target = schedule["target"]
    assert target["arn"] == "arn:aws:scheduler:::aws-sdk:dynamodb:exportTableToPointInTime"
    call = json.loads(target["input"])
    assert call["TableArn"] == LEDGER
    assert call["S3Prefix"] == "ledger"
    assert call["S3Bucket"] == registry.one("aws:s3/bucket:Bucket", "audit-bucket").state["bucket"]
    role_policy = policy(
        registry.one("aws:iam/rolePolicy:RolePolicy", "audit-ledger-export-policy")
    )
    assert statement(role_policy, "ExportLedgerTable")["Resource"] == LEDGER
    key = policy(registry.one("aws:kms/key:Key"))
    role = registry.one("aws:iam/role:Role", "audit-ledger-export-role")
    assert statement(key, "LedgerExportEncryptsThroughS3")["Principal"] == {
        "AWS": role.state["arn"]
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"mode": "GOVERNANCE"}, "mode = 'GOVERNANCE': prod locks its audit record in "
         "COMPLIANCE mode, which no one can shorten"),
        ({"trail_name": "a"}, "trail_name = 'a': 3-128 letters, digits, periods, underscores or "
         "hyphens, alphanumeric at both ends"),
        ({"log_retention_days": 8}, "log_retention_days = 8: CloudWatch Logs accepts 1, 3, 5, 7, "
         "14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, "
         "3653"),
        ({"ledger_export_schedule": "daily"}, "ledger_export_schedule = 'daily': an EventBridge "
         "Scheduler expression: rate(<n> <unit>) or cron(...)"),
    ],
)  # fmt: skip
def test_bad_args_are_named(change: dict[str, Any], expected: str) -> None:
    values: dict[str, Any] = {
        "environment": "prod", "trail_name": "t-audit", "retention_days": 400,
        "reader_arns": [READER], "data_bucket_arns": [MODELS], **change,
    }  # fmt: skip
    with pytest.raises(ArgsError) as raised:
        AuditTrailArgs(**values)
    assert [str(p) for p in raised.value.problems] == [expected]
