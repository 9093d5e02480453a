"""`mlops:delivery`: validated like the rest; prod must approve and roll back; exact messages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.config import ConfigError, parse
from tests.infra.test_config import stack_file
from tests.infra.test_serving_stacks import stack_values

APPROVER = "arn:aws:iam::444455556666:role/releasers"
DELIVERY = {
    "repository": "acme/fraud-model",
    "platformRepository": "acme/mlops-platform",
    "approvers": [APPROVER],
}


ACCOUNT = {"id": "444455556666", "roleName": "mlops-deployer"}


def delivery(environment: str = "prod", **overrides: Any) -> dict[str, str]:
    block = {k: v for k, v in {**DELIVERY, **overrides}.items() if v is not None}
    return stack_file(environment=environment, delivery=block, account=ACCOUNT)


def problems(raw: dict[str, str], stack: str = "prod") -> list[str]:
    with pytest.raises(ConfigError) as raised:
        parse(raw, region="us-east-1", stack=stack)
    return [str(problem) for problem in raised.value.problems]


def test_prod_delivery_approves_by_default_and_rolls_back_on_the_alarm() -> None:
    config = parse(delivery(), region="us-east-1", stack="prod").delivery
    assert config is not None
    settings = config.settings
    assert (settings.environment, settings.approval, settings.alarm_rollback) == (
        "prod",
        True,
        True,
    )
    assert (settings.branch, settings.build_image, settings.compute_type) == (
        "main", "aws/codebuild/standard:7.0", "BUILD_GENERAL1_MEDIUM",
    )  # fmt: skip
    assert settings.approvers == (APPROVER,)


def test_dev_may_skip_approval_and_the_alarm_condition() -> None:
    config = parse(
        delivery("dev", approvers=None, alarmRollback=False), region="us-east-1", stack="dev"
    ).delivery
    assert config is not None
    assert (config.settings.approval, config.settings.alarm_rollback) == (False, False)


@pytest.mark.parametrize(
    ("environment", "overrides", "expected"),
    [
        (
            "prod",
            {"approval": False, "alarmRollback": False},
            [
                "mlops:delivery.approval = False: prod must have a manual approval before deploy",
                "mlops:delivery.alarmRollback = False: prod must roll back when the endpoint's "
                "alarm fires",
            ],
        ),
        (
            "prod",
            {"approvers": []},
            [
                "mlops:delivery.approvers = []: prod has a manual approval, so name at least one "
                "approver"
            ],
        ),
        (
            "dev",
            {"repository": "fraud-model", "branch": "feature/*", "testCommands": []},
            [
                "mlops:delivery.repository = 'fraud-model': must be owner/name, e.g. "
                "acme/fraud-model (letters, digits, -_.)",
                "mlops:delivery.branch = 'feature/*': may not contain spaces, control characters "
                "or any of ~ ^ : ? * [ \\ (git check-ref-format)",
                "mlops:delivery.testCommands = []: needs at least one command",
            ],
        ),
        (
            "prod",
            {"models": ["churn-ranker"]},
            [
                "mlops:delivery.models[0] = 'churn-ranker': no endpoint 'churn-ranker' in "
                "mlops:endpoints; the endpoints are: none"
            ],
        ),
        (
            "prod",
            {"computeType": "BUILD_LAMBDA_1GB", "shape": "x"},
            [
                "mlops:delivery.shape = 'x': unknown key; allowed keys: alarmRollback, approval, "
                "approvers, branch, buildImage, computeType, connectionArn, github, models, "
                "platformRepository, promotionStateMachineArn, repository, subscribers, "
                "testCommands",
                "mlops:delivery.computeType = 'BUILD_LAMBDA_1GB': allowed: BUILD_GENERAL1_SMALL, "
                "BUILD_GENERAL1_MEDIUM, BUILD_GENERAL1_LARGE, BUILD_GENERAL1_XLARGE, "
                "BUILD_GENERAL1_2XLARGE",
            ],
        ),
    ],
)
def test_bad_delivery_settings_name_the_key_the_value_and_the_rule(
    environment: str, overrides: dict[str, Any], expected: list[str]
) -> None:
    assert problems(delivery(environment, **overrides), stack=environment) == expected


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_delivery_without_an_account_is_refused(environment: str) -> None:
    raw = {**delivery(environment, approvers=[APPROVER])}
    del raw["account"]
    assert problems(raw, stack=environment) == [
        "mlops:account = (missing): required by mlops:delivery: its deploy projects and CI role "
        "assume the deployer role in the stack's account (set mlops:account.id and roleName)"
    ]


def test_a_pipeline_for_an_endpoint_without_a_managed_variant_is_refused() -> None:
    # Its promotions would write a release record that no variant serves.
    committed = json.loads(stack_values("prod")["delivery"])
    raw = stack_values("prod", delivery={**committed, "models": ["fraud-detector", "fraud-shadow"]})
    assert problems(raw) == [
        "mlops:delivery.models[1] = 'fraud-shadow': endpoint 'fraud-shadow' has no release: "
        "managed variant, so what its pipeline promotes would never serve: mark one variant "
        "managed, or leave it out"
    ]
