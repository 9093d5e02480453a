"""The endpoint lines of a preview summary, read from registrations alone."""

from __future__ import annotations

from mlops_platform.preview.endpoint_summary import capture, rollback, rollout, scaling, variants


def test_rolling_rollouts_show_their_batch_and_no_termination_wait() -> None:
    endpoint = {
        "deploymentConfig": {
            "rollingUpdatePolicy": {
                "maximumBatchSize": {"type": "INSTANCE_COUNT", "value": 1},
                "waitIntervalInSeconds": 120,
                "maximumExecutionTimeoutInSeconds": 1800,
            }
        }
    }
    assert rollout(endpoint) == "ROLLING (1 instances), bake 120 s after each shift, timeout 1800 s"


def test_missing_guardrails_are_called_out() -> None:
    assert rollout({}) == "no deployment configuration: SageMaker's defaults, no rollback"
    assert rollback({}, []) == ": none, nothing rolls a bad version back"
    assert capture({}) == "off"
    assert capture({"dataCaptureConfig": {"enableCapture": True, "initialSamplingPercentage": 5,
                                          "destinationS3Uri": "s3://b/p/"}}) == (
        "5 % of requests and responses to s3://b/p/, NOT encrypted"
    )  # fmt: skip
    assert scaling([]) == "none (fixed instance counts)"


def test_callers_alarms_are_named_as_theirs() -> None:
    endpoint = {"deploymentConfig": {"autoRollbackConfiguration": {"alarms": [
        {"alarmName": "checkout-slo"}]}}}  # fmt: skip
    assert rollback(endpoint, []) == "(1) checkout-slo (the caller's)"


def test_shadow_variants_are_marked() -> None:
    config = {
        "productionVariants": [{"variantName": "a", "instanceType": "ml.m5.large",
                                "initialInstanceCount": 2, "initialVariantWeight": 1}],
        "shadowProductionVariants": [{"variantName": "s", "instanceType": "ml.m5.large",
                                      "initialInstanceCount": 1, "initialVariantWeight": 0.5}],
    }  # fmt: skip
    assert variants(config) == "a ml.m5.large x2 weight 1, s (shadow) ml.m5.large x1 weight 0.5"
