"""`mlops:endpoints` in a stack file: parsed into endpoint args, problems named by their keys."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from infra.config import ConfigError, parse

IMAGE = "444455556666.dkr.ecr.us-east-1.amazonaws.com/fraud:1.5.0"
DIGEST = "sha256:" + "0" * 64


def entry(**overrides: Any) -> dict[str, Any]:
    """An endpoint prod accepts: two instances, a canary watched by the default alarms."""
    return {
        "name": "fraud",
        "artifactPrefix": "s3://acme-models/fraud/",
        "variants": [
            {
                "name": "blue",
                "image": IMAGE,
                "modelData": "s3://acme-models/fraud/1.5.0/model.tar.gz",
                "instanceType": "ml.m5.large",
                "instanceCount": 2,
            }
        ],
        "rollout": {"strategy": "CANARY", "step": 10},
        **overrides,
    }


def raw(environment: str = "prod", endpoints: Any = None) -> dict[str, str]:
    values = {
        "environment": environment,
        "owner": "ml-platform",
        "costCentre": "ml",
        "network": json.dumps({"vpcCidr": "10.30.0.0/16", "natGateways": "per_az"}),
        "audit": json.dumps(
            {
                "readerArns": ["arn:aws:iam::444455556666:role/auditor"],
                "dataBucketArns": ["arn:aws:s3:::acme-models"],
            }
        ),
        "alerting": json.dumps({"subscriptions": [{"protocol": "email", "endpoint": "a@b.io"}]}),
    }
    if endpoints is not None:
        values["endpoints"] = json.dumps(endpoints)
    return values


def problems(environment: str, endpoints: Any) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        parse(raw(environment, endpoints), region="us-east-1", stack=environment)
    return [str(problem) for problem in raised.value.problems]


def with_variant(**changes: Any) -> dict[str, Any]:
    changed = entry()
    changed["variants"][0].update(changes)
    return changed


def package_variant(**changes: Any) -> dict[str, Any]:
    changed = with_variant(modelPackage=4, **changes)
    del changed["variants"][0]["image"], changed["variants"][0]["modelData"]
    return changed


def test_an_entry_becomes_endpoint_args_with_the_stacks_tags_and_protection() -> None:
    config = parse(raw("prod", [entry()]), region="us-east-1", stack="prod")
    (declaration,) = config.endpoints
    assert declaration.name == "fraud"
    args = declaration.args
    assert (args.rollout.strategy, args.rollout.step, args.rollout.wait_seconds) == (
        "CANARY",
        10,
        300,
    )
    assert [(v.name, v.instance_count, v.weight) for v in args.variants] == [("blue", 2, 1.0)]
    assert args.alarms is not None  # on unless the stack file turns them off
    assert args.data_capture is not None
    assert args.data_capture.sampling_percentage == 20
    assert args.protect_data is True
    assert args.tags["Environment"] == "prod"
    assert args.tags["Endpoint"] == "fraud"


def test_a_stack_without_endpoints_has_none() -> None:
    assert parse(raw("dev"), region="us-east-1", stack="dev").endpoints == ()


def test_switches_turn_alarms_and_capture_off_outside_prod() -> None:
    config = parse(
        raw(
            "dev",
            [
                entry(
                    rollout={"strategy": "ALL_AT_ONCE"},
                    alarms={"enabled": False},
                    dataCapture={"enabled": False},
                )
            ],
        ),
        region="us-east-1",
        stack="dev",
    )
    args = config.endpoints[0].args
    assert (args.alarms, args.data_capture) == (None, None)


LONG_NAME = "f" * 32
BLUE = entry()["variants"][0]
SHADOW = {"name": "candidate", "shadow": True, "image": IMAGE, "instanceType": "ml.m5.large",
          "modelData": "s3://acme-models/fraud/2.0/model.tar.gz"}  # fmt: skip
GREEN = {"name": "green", "image": IMAGE, "instanceType": "ml.m5.large", "instanceCount": 2,
         "modelData": "s3://acme-models/fraud/1.6.0/model.tar.gz"}  # fmt: skip


@pytest.mark.parametrize(
    ("environment", "endpoints", "expected"),
    [
        # The case: a 32-character endpoint name and a 14-character variant in staging.
        ("staging", [entry(name=LONG_NAME, variants=[{**BLUE, "name": "b" * 14}])],
         [f"mlops:endpoints[0].variants[0].name = 'staging-{LONG_NAME}-{'b' * 14}-model-xxxxxxx': "
          "the SageMaker model name would be 69 characters with the random suffix; AWS allows at "
          "most 63: shorten the variant's name"]),
        ("prod", [entry(variants=[BLUE, GREEN, SHADOW])],
         ["mlops:endpoints[0].variants = 2: 2 production variants beside shadow variant "
          "'candidate'; AWS accepts a shadow variant only beside exactly one production variant: "
          "split the A/B test and the shadow test into two endpoints"]),
        ("prod", [entry(rollout={"strategy": "LINEAR", "step": 10, "waitSeconds": 600,
                                 "maximumExecutionTimeoutSeconds": 7200})],
         ["mlops:endpoints[0].rollout.waitSeconds = 600: the rollout takes at least 6600 s (600 s "
          "to launch the new fleet + 10 shifts x 600 s wait + 0 s termination wait); the "
          "provider waits at most 3600 s for the endpoint to be InService and fails the update "
          "after that: take larger steps or shorter waits"]),
    ],
)  # fmt: skip
def test_deploy_defects_are_named_by_their_keys(
    environment: str, endpoints: list[dict[str, Any]], expected: list[str]
) -> None:
    assert problems(environment, endpoints) == expected


@pytest.mark.parametrize(
    ("endpoints", "expected"),
    [
        ([with_variant(instanceType="m5.large")],
         ["mlops:endpoints[0].variants[0].instanceType = 'm5.large': SageMaker instance types "
          "start with 'ml.' (e.g. ml.m5.large)"]),
        ([entry(rollout={"strategy": "CANARY", "step": 60})],
         ["mlops:endpoints[0].rollout.step = 60: the canary may take at most 50 % of a variant's "
          "capacity (AWS limit)"]),
        ([entry(dataCapture={"samplingPercentage": 101})],
         ["mlops:endpoints[0].dataCapture.samplingPercentage = 101: a whole number, 0-100"]),
        ([with_variant(autoscaling={"minCapacity": 5, "maxCapacity": 3})],
         ["mlops:endpoints[0].variants[0].autoscaling.minCapacity = 5: above the maximum "
          "capacity (3)"]),
        ([entry(rollout={"strategy": "LINEAR", "step": 20, "waitSeconds": 700,
                         "terminationWaitSeconds": 200})],
         ["mlops:endpoints[0].rollout.maximumExecutionTimeoutSeconds = 3600: must be longer than "
          "the waits added up: 5 shifts x 700 s wait + 200 s termination wait = 3700 s",
          "mlops:endpoints[0].rollout.waitSeconds = 700: the rollout takes at least 4300 s (600 s "
          "to launch the new fleet + 5 shifts x 700 s wait + 200 s termination wait); the "
          "provider waits at most 3600 s for the endpoint to be InService and fails the update "
          "after that: take larger steps or shorter waits"]),
        ([entry(), entry(variants=[{**entry()["variants"][0], "instanceType": "c5"}])],
         ["mlops:endpoints[1].variants[0].instanceType = 'c5': SageMaker instance types start "
          "with 'ml.' (e.g. ml.m5.large)"]),
        ([entry(), entry()],
         ["mlops:endpoints[1].name = 'fraud': endpoint names must be unique in a stack; entry 0 "
          "has it too"]),
        ([entry(name="Fraud_Detector")],
         ["mlops:endpoints[0].name = 'Fraud_Detector': 2-32 lowercase letters, digits or inner "
          "hyphens, starting with a letter"]),
        ([with_variant(instanceCount="two")],
         ["mlops:endpoints[0].variants[0].instanceCount = 'two': must be a whole number"]),
        ({"name": "fraud"}, ["mlops:endpoints = {'name': 'fraud'}: must be a list"]),
        ([with_variant(release="managed")],
         ["mlops:endpoints[0].variants[0].imageDigest = None: a managed first version needs its "
          "image's digest, sha256:<64 hex>",
          "mlops:endpoints[0].variants[0].commit = None: a managed first version needs its git "
          "commit, 7-40 hex characters"]),
        ([with_variant(release="managed", imageDigest="sha256:abc", commit="stack-file")],
         ["mlops:endpoints[0].variants[0].imageDigest = 'sha256:abc': a managed first version "
          "needs its image's digest, sha256:<64 hex>",
          "mlops:endpoints[0].variants[0].commit = 'stack-file': a managed first version needs "
          "its git commit, 7-40 hex characters"]),
        ([{**package_variant(release="managed", imageDigest=DIGEST, commit="0a1b2c3"),
           "imageRepositories": ["arn:aws:ecr:us-east-1:444455556666:repository/fraud"]}],
         ["mlops:endpoints[0].variants[0].modelPackage = 4: a managed variant's first version is "
          "an image and modelData; packages reach it through the promotion workflow"]),
        ([{**entry(), "variants": [
            {**entry()["variants"][0], "release": "managed", "imageDigest": DIGEST,
             "commit": "0a1b2c3", "weight": 50},
            {**entry()["variants"][0], "name": "green", "release": "managed",
             "imageDigest": DIGEST, "commit": "0a1b2c3", "weight": 50}]}],
         ["mlops:endpoints[0].variants[1].release = 'managed': one variant per endpoint may be "
          "managed: the endpoint's release record names one version, and 'blue' is managed"]),
        ([with_variant(imageDigest=DIGEST)],
         [f"mlops:endpoints[0].variants[0].imageDigest = {DIGEST!r}: only a release: managed "
          "entry seeds a release record"]),
    ],
)  # fmt: skip
def test_bad_entries_are_named_by_their_keys(endpoints: Any, expected: list[str]) -> None:
    assert problems("prod", endpoints) == expected


def test_an_unknown_key_lists_the_allowed_ones() -> None:
    found = problems("dev", [entry(weights=[1])])
    assert found == [
        "mlops:endpoints[0].weights = [1]: unknown key; allowed keys: alarmTopicArn, alarms, "
        "artifactPrefix, dataCapture, drift, extraRollbackAlarms, imageRepositories, "
        "logRetentionDays, name, networkIsolation, registryReaderAccounts, rollout, variants"
    ]


def test_prod_refuses_what_dev_accepts() -> None:
    risky = entry(
        rollout={"strategy": "ALL_AT_ONCE"},
        alarms={"enabled": False},
        networkIsolation=False,
    )
    risky["variants"][0]["instanceCount"] = 1
    risky["variants"][0]["autoscaling"] = {"minCapacity": 1, "maxCapacity": 3}
    dev_entry = {k: v for k, v in copy.deepcopy(risky).items() if k != "networkIsolation"}
    dev = parse(raw("dev", [dev_entry]), region="us-east-1", stack="dev")
    assert dev.endpoints[0].args.rollout.strategy == "ALL_AT_ONCE"
    reason = (
        "prod needs at least 2 instances per production variant, so one instance failing or "
        "being replaced leaves the variant serving"
    )
    assert problems("prod", [risky]) == [
        "mlops:endpoints[0].alarms.enabled = False: prod rolls back on the endpoint's own alarms",
        "mlops:endpoints[0].rollout.strategy = 'ALL_AT_ONCE': prod shifts traffic gradually, "
        "watched by alarms: use CANARY or LINEAR",
        "mlops:endpoints[0].networkIsolation = False: prod models make no network calls of their "
        "own",
        f"mlops:endpoints[0].variants[0].instanceCount = 1: {reason}",
        f"mlops:endpoints[0].variants[0].autoscaling.minCapacity = 1: {reason}",
    ]


def test_network_isolation_is_kept_in_every_environment_as_the_pack_demands() -> None:
    assert problems("dev", [entry(networkIsolation=False)]) == [
        "mlops:endpoints[0].networkIsolation = False: dev models make no network calls of their own"
    ]


def test_a_shadow_variant_is_exempt_from_the_prod_instance_rule() -> None:
    shadow = {**entry()["variants"][0], "name": "candidate", "shadow": True, "instanceCount": 1}
    endpoints = [entry(variants=[entry()["variants"][0], shadow])]
    config = parse(raw("prod", endpoints), region="us-east-1", stack="prod")
    assert [v.shadow for v in config.endpoints[0].args.variants] == [False, True]
