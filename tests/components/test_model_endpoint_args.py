"""Bad ModelEndpoint args: rejected before any resource exists, every problem, exact messages."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_platform.components import (
    AlarmThresholds,
    ArgsError,
    DataCaptureSpec,
    ModelEndpoint,
    ModelEndpointArgs,
    Placement,
    RolloutSpec,
    VariantAutoscalingSpec,
    VariantSpec,
)
from tests.components.endpoint_fixtures import (
    GROUPS,
    PLACEMENT,
    SUBNETS,
    blue,
    endpoint_args,
    green,
)

SINGLE = "a CANARY rollout shifts part of the capacity at a time and needs at least 2 instances "
SINGLE += "in every production variant; use ALL_AT_ONCE or add instances"


PROVIDER_WAIT = (
    "the provider waits at most 3600 s for the endpoint to be InService and fails the update "
    "after that: take larger steps or shorter waits"
)
ONE_PRODUCTION = (
    "AWS accepts a shadow variant only beside exactly one production variant: split the A/B "
    "test and the shadow test into two endpoints"
)


def shadow(name: str) -> VariantSpec:
    return green(name=name, shadow=True, instance_count=1)


@pytest.mark.parametrize(
    ("overrides", "messages"),
    [
        # The table, one row each.
        ({"variants": [blue(instance_type="m5.large"), green()]},
         ["variants[0].instance_type = 'm5.large': SageMaker instance types start with 'ml.' "
          "(e.g. ml.m5.large)"]),
        ({"rollout": RolloutSpec.canary(percent=60)},
         ["rollout.step = 60: the canary may take at most 50 % of a variant's capacity "
          "(AWS limit)"]),
        ({"variants": [blue(instance_count=1), green()]},
         [f"variants[0].instance_count = 1: {SINGLE}"]),
        ({"rollout": RolloutSpec.linear(percent=5)},
         ["rollout.step = 5: a linear step may take 10-50 % of a variant's capacity (AWS limit)"]),
        ({"rollout": RolloutSpec(strategy="CANARY", step=101)},
         ["rollout.step = 101: CAPACITY_PERCENT is a share of capacity: 1-100"]),
        ({"rollout": RolloutSpec(strategy="CANARY", step=0)},
         ["rollout.step = 0: a whole number, at least 1 (AWS minimum)"]),
        ({"rollout": RolloutSpec.canary(wait_seconds=3601)},
         ["rollout.wait_seconds = 3601: 0-3600 s (AWS limit)"]),
        ({"rollout": RolloutSpec(strategy="CANARY", step=10, termination_wait_seconds=3601)},
         ["rollout.termination_wait_seconds = 3601: 0-3600 s (AWS limit)"]),
        ({"rollout": RolloutSpec(strategy="CANARY", step=10,
                                 maximum_execution_timeout_seconds=300)},
         ["rollout.maximum_execution_timeout_seconds = 300: 600-14400 s (the provider's limit)"]),
        ({"rollout": RolloutSpec(strategy="CANARY", step=10, wait_seconds=1800,
                                 maximum_execution_timeout_seconds=3600)},
         ["rollout.maximum_execution_timeout_seconds = 3600: must be longer than the waits added "
          "up: 2 shifts x 1800 s wait + 0 s termination wait = 3600 s",
          f"rollout.wait_seconds = 1800: the rollout takes at least 4200 s (600 s to launch the "
          f"new fleet + 2 shifts x 1800 s wait + 0 s termination wait); {PROVIDER_WAIT}"]),
        # The provider waits 60 minutes for InService: 10 linear steps of 600 s cannot finish.
        ({"rollout": RolloutSpec(strategy="LINEAR", step=10, wait_seconds=600,
                                 maximum_execution_timeout_seconds=7200)},
         [f"rollout.wait_seconds = 600: the rollout takes at least 6600 s (600 s to launch the "
          f"new fleet + 10 shifts x 600 s wait + 0 s termination wait); {PROVIDER_WAIT}"]),
        ({"rollout": RolloutSpec(strategy="CANARY", step=10, wait_seconds=1200,
                                 termination_wait_seconds=900)},
         [f"rollout.wait_seconds = 1200: the rollout takes at least 3900 s (600 s to launch the "
          f"new fleet + 2 shifts x 1200 s wait + 900 s termination wait); {PROVIDER_WAIT}"]),
        ({"extra_rollback_alarms": [f"slo-{i}" for i in range(9)]},
         ["extra_rollback_alarms = ['slo-0', 'slo-1', 'slo-2', 'slo-3', 'slo-4', 'slo-5', "
          "'slo-6', 'slo-7', 'slo-8']: 11 rollback alarms (2 of the endpoint's own + 9 extra); "
          "AWS allows at most 10"]),
        ({"extra_rollback_alarms": ["p99-slo", "errors-slo", "p99-slo"]},
         ["extra_rollback_alarms[2] = 'p99-slo': alarm names must be unique; [0] has it too"]),
        ({"extra_rollback_alarms": ["x" * 256]},
         [f"extra_rollback_alarms[0] = '{'x' * 256}': an alarm name of 1-255 chars"]),
        ({"alarms": None},
         ["rollout.strategy = 'CANARY': a CANARY rollout needs at least one rollback alarm; keep "
          "the endpoint's own alarms on or add extra rollback alarms"]),
        ({"variants": [blue(), green(), shadow("s1"), shadow("s2")]},
         ["variants = ['s1', 's2']: at most one shadow variant (AWS limit)"]),
        # AWS accepts a shadow only beside exactly one production variant.
        ({"variants": [blue(), green(), shadow("candidate")]},
         ["variants = 2: 2 production variants beside shadow variant 'candidate'; "
          + ONE_PRODUCTION]),
        ({"variants": [blue(), green(), green(name="teal", weight=5), shadow("candidate")]},
         ["variants = 3: 3 production variants beside shadow variant 'candidate'; "
          + ONE_PRODUCTION]),
        ({"data_capture": DataCaptureSpec(sampling_percentage=101)},
         ["data_capture.sampling_percentage = 101: a whole number, 0-100"]),
        ({"data_capture": DataCaptureSpec(sampling_percentage=-1)},
         ["data_capture.sampling_percentage = -1: a whole number, 0-100"]),
        ({"variants": [blue(), green(name="blue")]},
         ["variants[1].name = 'blue': variant names must be unique; variants[0] has it too"]),
        ({"variants": [blue(autoscaling=VariantAutoscalingSpec(min_capacity=5, max_capacity=3)),
                       green()]},
         ["variants[0].autoscaling.min_capacity = 5: above the maximum capacity (3)"]),
        # Weights: ratios or percentages, never negative, never all zero.
        ({"variants": [blue(weight=-1), green()]},
         ["variants[0].weight = -1: weights are 0 or more; AWS rejects less"]),
        ({"variants": [blue(weight=0), green(weight=0)]},
         ["variants[*].weight = [0, 0]: the production weights are all 0; at least one variant "
          "must take traffic"]),
        # Where models come from, and what the role may read.
        ({"variants": [blue(model_data="s3://other/model.tar.gz"), green()]},
         ["variants[0].model_data = 's3://other/model.tar.gz': must lie under the artifact "
          "prefix s3://acme-models/fraud/, the only prefix the model's role may read"]),
        ({"variants": [blue(image="python:3.11"), green()]},
         ["variants[0].image = 'python:3.11': an ECR image URI with a tag or digest, e.g. "
          "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:1.4.0"]),
        ({"variants": [blue(model_package=3), green()]},
         ["variants[0].model_package = 3: remove the image and the model artifact: a package "
          "defines both",
          "image_repositories = []: variants[0] serve model packages; list the ECR repositories "
          "their images come from, so the model's role may pull them"]),
        ({"variants": [blue(image=None, model_data=None, model_package="v3"), green()],
          "image_repositories": ["arn:aws:ecr:us-east-1:123456789012:repository/fraud"]},
         ["variants[0].model_package = 'v3': a model package ARN (arn:aws:sagemaker:<region>:"
          "<account>:model-package/<group>/<version>) or a version number (1 or more) of the "
          "endpoint's group"]),
        ({"artifact_prefix": "s3://acme-models/fraud"},
         ["artifact_prefix = 's3://acme-models/fraud': an s3:// prefix ending in '/', e.g. "
          "s3://acme-models/fraud/; the model's role reads nothing else"]),
        # More AWS limits.
        ({"variants": [blue(instance_type="ml.inf1.xlarge"), green()]},
         ["variants[0].instance_type = 'ml.inf1.xlarge': SageMaker cannot shift traffic "
          "gradually on Inf1 instances and would silently replace the CANARY rollout with "
          "ALL_AT_ONCE; use ALL_AT_ONCE"]),
        ({"variants": [blue(), green()], "rollout": RolloutSpec(strategy="ROLLING", step=50)},
         ["rollout.strategy = 'ROLLING': AWS rolls out endpoints with a single variant only; "
          "this one has 2 (shadow included): use CANARY or LINEAR"]),
        ({"alarms": AlarmThresholds(latency_percentile="99th")},
         ["alarms.latency_percentile = '99th': a CloudWatch percentile from p0 to p100, e.g. p90, "
          "p99 or p99.9"]),
        ({"registry_reader_accounts": ["12345"]},
         ["registry_reader_accounts[0] = '12345': a 12-digit AWS account id"]),
        ({"log_retention_days": 10},
         ["log_retention_days = 10: CloudWatch Logs accepts 1, 3, 5, 7, 14, 30, 60, 90, 120, "
          "150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"]),
    ],
)  # fmt: skip
def test_bad_args_are_rejected_with_exact_messages(
    overrides: dict[str, Any], messages: list[str]
) -> None:
    with pytest.raises(ArgsError) as raised:
        endpoint_args(**overrides)
    assert [str(problem) for problem in raised.value.problems] == messages


def test_an_extra_alarm_name_of_exactly_255_characters_is_accepted() -> None:
    assert endpoint_args(extra_rollback_alarms=["x" * 255]).extra_rollback_alarms == ["x" * 255]


LONG = "staging-" + "f" * 32  # the longest endpoint name config allows, in staging
E50 = "E" * 50
MIXED = "Fraud-" + "X" * 42


@pytest.mark.parametrize(
    ("name", "overrides", "messages"),
    [
        # The case: a 32-character endpoint name and a 14-character variant.
        (LONG, {"variants": [blue(name="b" * 14)]},
         [f"variants[0].name = '{LONG}-{'b' * 14}-model-xxxxxxx': the SageMaker model name would "
          "be 69 characters with the random suffix; AWS allows at most 63: shorten the "
          "variant's name"]),
        (E50, {},
         [f"name = '{E50}-config-xxxxxxx': the SageMaker endpoint configuration name would be 65 "
          "characters with the random suffix; AWS allows at most 63: shorten the endpoint's name",
          f"variants[0].name = '{E50}-blue-model-xxxxxxx': the SageMaker model name would be 69 "
          "characters with the random suffix; AWS allows at most 63: shorten the variant's name",
          f"variants[1].name = '{E50}-green-model-xxxxxxx': the SageMaker model name would be 70 "
          "characters with the random suffix; AWS allows at most 63: shorten the variant's name",
          f"name = '{E50.lower()}-capture-xxxxxxx': the S3 bucket name would be 66 characters "
          "with the random suffix; AWS allows at most 63: shorten the endpoint's name"]),
        # Buckets are lowercase: the name is shown as AWS would get it.
        (MIXED, {"variants": [blue(name="b")], "alarm_topic_arn": "arn:aws:sns:us-east-1:1:t"},
         [f"variants[0].name = '{MIXED}-b-model-xxxxxxx': the SageMaker model name would be 64 "
          "characters with the random suffix; AWS allows at most 63: shorten the variant's name",
          f"name = '{MIXED.lower()}-capture-xxxxxxx': the S3 bucket name would be 64 characters "
          "with the random suffix; AWS allows at most 63: shorten the endpoint's name"]),
    ],
)  # fmt: skip
def test_names_aws_would_refuse_are_rejected_before_anything_exists(
    name: str, overrides: dict[str, Any], messages: list[str]
) -> None:
    args = endpoint_args(**overrides)
    with pytest.raises(ArgsError) as raised:
        ModelEndpoint(name, args, PLACEMENT)
    assert [str(problem) for problem in raised.value.problems] == messages


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ArgsError) as raised:
        ModelEndpointArgs(
            variants=[blue(instance_type="m5.large", instance_count=1), blue()],
            artifact_prefix="s3://acme-models/fraud/",
            rollout=RolloutSpec(strategy="LINEAR", step=60, wait_seconds=4000),
            data_capture=DataCaptureSpec(sampling_percentage=150),
        )
    assert str(raised.value) == (
        "ModelEndpointArgs is invalid (5 problems):\n"
        "  - variants[0].instance_type = 'm5.large': SageMaker instance types start with 'ml.' "
        "(e.g. ml.m5.large)\n"
        "  - variants[1].name = 'blue': variant names must be unique; variants[0] has it too\n"
        "  - rollout.wait_seconds = 4000: 0-3600 s (AWS limit)\n"
        "  - variants[0].instance_count = 1: a LINEAR rollout shifts part of the capacity at a "
        "time and needs at least 2 instances in every production variant; use ALL_AT_ONCE or add "
        "instances\n"
        "  - data_capture.sampling_percentage = 150: a whole number, 0-100"
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"subnet_ids": []}, "subnet_ids = []: at least one"),
        ({"security_group_ids": ()}, "security_group_ids = []: at least one"),
    ],
)
def test_a_placement_without_subnets_or_groups_is_rejected(
    overrides: dict[str, Any], message: str
) -> None:
    fields: dict[str, Any] = {
        "vpc_id": "vpc-1", "subnet_ids": SUBNETS, "security_group_ids": GROUPS, **overrides,
    }  # fmt: skip
    with pytest.raises(ArgsError) as raised:
        Placement(**fields)
    assert str(raised.value) == f"Placement is invalid (1 problem):\n  - {message}"
