from __future__ import annotations

import pytest

from mlops_platform.policies.sagemaker.endpoint_safe_rollout import POLICY
from tests.policies.harness import Mutation, changed, check_resource, drop_at, set_at
from tests.policies.sagemaker._fixtures import ENDPOINT, ENDPOINT_TYPE

ROUTING = "deploymentConfig.blueGreenUpdatePolicy.trafficRoutingConfiguration.type"


def test_a_canary_with_a_rollback_alarm_passes() -> None:
    assert check_resource(POLICY, ENDPOINT_TYPE, ENDPOINT) == []


@pytest.mark.parametrize(
    ("mutate", "messages"),
    [
        (
            set_at(ROUTING, "ALL_AT_ONCE"),
            ["blue/green traffic routing is 'ALL_AT_ONCE'; allowed: CANARY, LINEAR"],
        ),
        (
            drop_at("deploymentConfig.blueGreenUpdatePolicy"),
            [
                "the endpoint has no blue/green update policy, so a bad model reaches all "
                "traffic at once; add one with CANARY or LINEAR traffic routing"
            ],
        ),
        (
            set_at("deploymentConfig.autoRollbackConfiguration.alarms", []),
            [
                "the endpoint names 0 auto-rollback alarms; at least 1 required, or nothing "
                "rolls back"
            ],
        ),
        (
            drop_at("deploymentConfig"),
            [
                "the endpoint has no blue/green update policy, so a bad model reaches all "
                "traffic at once; add one with CANARY or LINEAR traffic routing",
                "the endpoint names 0 auto-rollback alarms; at least 1 required, or nothing rolls "
                "back",
            ],
        ),
    ],
    ids=["all-at-once", "no-blue-green", "no-alarms", "no-deployment-config"],
)
def test_violations(mutate: Mutation, messages: list[str]) -> None:
    assert check_resource(POLICY, ENDPOINT_TYPE, changed(ENDPOINT, mutate)) == messages


def test_linear_routing_passes() -> None:
    props = changed(ENDPOINT, set_at(ROUTING, "LINEAR"))
    assert check_resource(POLICY, ENDPOINT_TYPE, props) == []


def test_the_number_of_alarms_comes_from_config() -> None:
    assert check_resource(POLICY, ENDPOINT_TYPE, ENDPOINT, config={"minRollbackAlarms": 2}) == [
        "the endpoint names 1 auto-rollback alarms; at least 2 required, or nothing rolls back"
    ]
