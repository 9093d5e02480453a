"""`mlops:audit`, `mlops:alerting` and an endpoint's `drift`: parsed, or every problem named."""

from __future__ import annotations

from typing import Any

import pytest

from infra.config import parse
from tests.infra.test_config import problems, stack_file
from tests.infra.test_endpoint_config import entry
from tests.infra.test_endpoint_config import problems as endpoint_problems

DRIFT = {"profileUri": "s3://profiles/fraud.json", "features": [{"name": "amount", "column": 0}]}


def test_the_audit_block_becomes_trail_args_with_the_declared_buckets() -> None:
    config = parse(stack_file(), region="us-east-1", stack="prod")
    assert config.audit is not None
    assert config.audit.trail_name == "mlops-prod-audit"
    assert config.audit.lock_mode == "COMPLIANCE"
    assert list(config.audit.data_bucket_arns) == ["arn:aws:s3:::acme-ml-models-prod"]
    assert config.alerting == ({"protocol": "email", "endpoint": "oncall@example.com"},)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"audit": {"readerArns": ["arn:aws:iam::1:role/x"], "dataBucketArns": ["arn:aws:s3:::bkt"],
                    "mode": "GOVERNANCE"}},
         ["mlops:audit.readerArns[0] = 'arn:aws:iam::1:role/x': must be the ARN of an IAM role, "
          "user or account root, with no wildcard",
          "mlops:audit.mode = 'GOVERNANCE': prod locks its audit record in COMPLIANCE mode, "
          "which no one can shorten"]),
        ({"audit": {"retentionDays": 30, "readerArns": ["arn:aws:iam::123456789012:role/a"],
                    "dataBucketArns": ["arn:aws:s3:::bkt"]}},
         ["mlops:audit.retentionDays = 30: prod keeps its audit record at least 365 days"]),
        ({"alerting": {"subscriptions": [{"protocol": "sms", "endpoint": "+1555"}]}},
         # Only the real problem: the dropped entry is not reported again as no subscription.
         ["mlops:alerting.subscriptions[0].protocol = 'sms': allowed: 'email', 'https' or 'sqs'"]),
        ({"alerting": {"subscriptions": [{"protocol": "email", "endpoint": "nobody"}]}},
         ["mlops:alerting.subscriptions[0].endpoint = 'nobody': must be an email address"]),
        ({"alerting": None},
         ["mlops:alerting.subscriptions = []: prod notifies at least one on-call address"]),
    ],
)  # fmt: skip
def test_bad_audit_and_alerting_keys_are_named(
    overrides: dict[str, Any], expected: list[str]
) -> None:
    assert sorted(problems(stack_file(**overrides))) == sorted(expected)


def test_drift_settings_are_checked_under_the_endpoint_entry() -> None:
    bad = {**DRIFT, "ksAlpha": 2, "features": [{"name": "a", "source": "body"}]}
    assert endpoint_problems("dev", [entry(drift=bad)]) == [
        "mlops:endpoints[0].drift.features[0].source = 'body': allowed: 'input' or 'output'",
    ]
    assert endpoint_problems("dev", [entry(drift={**DRIFT, "ksAlpha": 2})]) == [
        "mlops:endpoints[0].drift.ksAlpha = 2: must be between 0 and 1, exclusive",
    ]
    assert endpoint_problems("dev", [entry(drift=DRIFT, dataCapture={"enabled": False})]) == [
        "mlops:endpoints[0].dataCapture.enabled = False: the endpoint's drift check reads the "
        "captured requests: keep data capture on, or remove drift",
    ]
