"""The champion/challenger decision and the live champion look-up."""

from __future__ import annotations

import boto3
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlops_platform.lambdas.common.events import InvalidEvent
from mlops_platform.lambdas.gate import handler as gate
from mlops_platform.lambdas.gate.decide import Criteria, Guard, Objective, decide

from .aws_fixtures import ACCOUNT, REGION

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
AUC = Criteria((Objective("auc", "higher", min_absolute=0.01, min_relative=0.0),))


@given(
    champion=finite,
    gain=st.floats(min_value=0.0, max_value=1e3),
    direction=st.sampled_from(["higher", "lower"]),
)
def test_a_gain_at_least_the_minimum_is_accepted(
    champion: float, gain: float, direction: str
) -> None:
    challenger = champion + gain if direction == "higher" else champion - gain
    needed = max(0.5, 0.01 * abs(champion))
    criteria = Criteria((Objective("m", direction, min_absolute=0.5, min_relative=0.01),))
    decision = decide({"m": champion}, {"m": challenger}, criteria)
    assert decision.accept == (
        (challenger - champion if direction == "higher" else champion - challenger) >= needed
    )


@given(champion=finite, worse=st.floats(min_value=1e-6, max_value=1e3))
def test_a_worse_challenger_is_never_accepted(champion: float, worse: float) -> None:
    decision = decide(
        {"auc": champion}, {"auc": champion - worse}, Criteria((Objective("auc", "higher"),))
    )
    assert not decision.accept


@given(
    latency=st.floats(min_value=1.0, max_value=1e4),
    worsening=st.floats(min_value=0.0, max_value=0.2),
)
def test_guard_allows_at_most_its_relative_worsening(latency: float, worsening: float) -> None:
    criteria = Criteria((Objective("auc", "higher"),), (Guard("latency", "lower", 0.05),))
    new_latency = latency * (1 + worsening)
    decision = decide(
        {"auc": 0.8, "latency": latency}, {"auc": 0.9, "latency": new_latency}, criteria
    )
    assert decision.accept == (new_latency - latency <= 0.05 * latency)


def test_reasons_name_each_metric() -> None:
    decision = decide({"auc": 0.9}, {"auc": 0.905}, AUC)
    assert decision.as_dict() == {
        "accept": False,
        "reasons": [
            "auc: 0.9 -> 0.905 (higher is better) does not improve enough: gain 0.005, needed 0.01"
        ],
    }


@pytest.mark.parametrize(
    ("champion", "challenger", "reason"),
    [
        (None, {}, "auc: challenger has no finite value"),
        ({"loss": 1.0}, {"auc": 0.9}, "auc: champion has no value to compare with"),
    ],
)
def test_missing_metrics_reject(
    champion: dict[str, float] | None, challenger: dict[str, float], reason: str
) -> None:
    decision = decide(champion, challenger, AUC)
    assert not decision.accept
    assert reason in decision.reasons


def test_first_model_is_accepted() -> None:
    assert decide(None, {"auc": 0.1}, AUC).accept


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (
            {},
            "endpoint_name = '<missing>': is required; "
            "challenger_metrics = '<missing>': is required",
        ),
        (
            {
                "endpoint_name": "e",
                "challenger_metrics": {"auc": "high"},
                "criteria": {"objectives": [{"metric": "auc", "direction": "up"}]},
            },
            "challenger_metrics.auc = 'high': must be a finite number; "
            "criteria.objectives[0].direction = 'up': must be one of higher, lower",
        ),
        (
            {"endpoint_name": "e", "challenger_metrics": {}, "criteria": {"objectives": []}},
            "criteria.objectives = []: must name at least one metric to improve",
        ),
    ],
)
def test_bad_gate_events_name_every_field(event: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidEvent) as raised:
        gate.handler(event, None)
    assert message in str(raised.value)


def test_champion_is_what_the_endpoint_serves(moto_aws: None) -> None:
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    sagemaker.create_model_package_group(ModelPackageGroupName="fraud")
    spec = {
        "Containers": [{"Image": "fraud:1"}],
        "SupportedContentTypes": ["text/csv"],
        "SupportedResponseMIMETypes": ["text/csv"],
    }
    serving = sagemaker.create_model_package(
        ModelPackageGroupName="fraud",
        InferenceSpecification=spec,
        CustomerMetadataProperties={"metric:auc": "0.8"},
    )["ModelPackageArn"]
    sagemaker.create_model_package(  # newer and approved, but not serving
        ModelPackageGroupName="fraud",
        InferenceSpecification=spec,
        ModelApprovalStatus="Approved",
        CustomerMetadataProperties={"metric:auc": "0.99"},
    )
    role = f"arn:aws:iam::{ACCOUNT}:role/sm"
    sagemaker.create_model(
        ModelName="m", PrimaryContainer={"ModelPackageName": serving}, ExecutionRoleArn=role
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="c",
        ProductionVariants=[
            {
                "VariantName": "a",
                "ModelName": "m",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    sagemaker.create_endpoint(EndpointName="fraud", EndpointConfigName="c")
    event = {
        "endpoint_name": "fraud",
        "challenger_metrics": {"auc": 0.85},
        "criteria": {"objectives": [{"metric": "auc", "direction": "higher"}]},
    }
    result = gate.handler(event, None)
    assert result["accept"] is True
    assert result["champion_package_arn"] == serving
    assert gate.handler({**event, "endpoint_name": "absent"}, None)["champion_package_arn"] == ""
