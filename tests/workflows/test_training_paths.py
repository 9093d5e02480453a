"""The training and registration workflow on moto, one test per path."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from moto.sagemaker.models import sagemaker_backends

from ..lambdas.aws_fixtures import ACCOUNT, REGION
from .harness import ENDPOINT, ENV, TARGET, World

COLUMNS = ["amount", "merchant", "label"]
CHAMPION = {"auc": 0.90, "latency_ms": 20.0}


def training(job: str = "train-1", **changes: Any) -> dict[str, Any]:
    """A valid training input."""
    payload: dict[str, Any] = {
        "env": ENV,
        "target": TARGET,
        "actor": "schedule/nightly",
        "job_name": job,
        "commit": "c0ffee99",
        "data_uri": "s3://data/fraud/train.csv",
        "output_uri": "s3://models/fraud",
        "expected_columns": COLUMNS,
        "min_rows": 2,
        "image": {
            "uri": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/fraud:2",
            "digest": "sha256:" + "ab" * 32,
        },
        "hyperparameters": {"max_depth": "6"},
        "package_group": "fraud",
        "endpoint_name": ENDPOINT,
        "criteria": {
            "objectives": [{"metric": "auc", "direction": "higher", "min_absolute": 0.01}],
            "guards": [
                {"metric": "latency_ms", "direction": "lower", "max_worsening_relative": 0.05}
            ],
        },
        "timing": {"poll_seconds": 0, "max_polls": 5},
        "lock_ttl_seconds": 600,
    }
    payload.update(changes)
    return payload


@pytest.fixture
def trainer(world: World) -> World:
    """The world with moto answering SageMaker, training data in S3, and a serving champion."""
    world.live.use_moto = True
    s3 = boto3.client("s3", region_name=REGION)
    for bucket in ("data", "models"):
        s3.create_bucket(Bucket=bucket)
    s3.put_object(
        Bucket="data", Key="fraud/train.csv", Body=b"amount,merchant,label\n1.0,a,0\n2.5,b,1\n"
    )
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    sagemaker.create_model_package_group(ModelPackageGroupName="fraud")
    return world


def serve_champion(metrics: dict[str, float]) -> str:
    """Register and serve a champion with `metrics`; returns its package ARN."""
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    arn = sagemaker.create_model_package(
        ModelPackageGroupName="fraud",
        ModelApprovalStatus="Approved",
        InferenceSpecification={
            "Containers": [{"Image": "fraud:1"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        CustomerMetadataProperties={f"metric:{k}": str(v) for k, v in metrics.items()},
    )["ModelPackageArn"]
    role = f"arn:aws:iam::{ACCOUNT}:role/sagemaker"
    sagemaker.create_model(
        ModelName="champion", PrimaryContainer={"ModelPackageName": arn}, ExecutionRoleArn=role
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="champion-cfg",
        ProductionVariants=[
            {
                "VariantName": "primary",
                "ModelName": "champion",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    sagemaker.create_endpoint(EndpointName=ENDPOINT, EndpointConfigName="champion-cfg")
    return str(arn)


def evaluation(world: World, metrics: dict[str, float], fail_job: bool = False) -> None:
    """When the job starts, it 'writes' its evaluation report (or fails)."""

    def after_start(event: dict[str, Any], _result: Any) -> None:
        if event["action"] != "start":
            return
        job = event["job_name"]
        boto3.client("s3", region_name=REGION).put_object(
            Bucket="models",
            Key=f"fraud/{job}/evaluation.json",
            Body=json.dumps({"metrics": metrics}).encode(),
        )
        if fail_job:
            trained = sagemaker_backends[ACCOUNT][REGION].training_jobs[job]
            trained.training_job_status = "Failed"
            trained.failure_reason = "AlgorithmError: out of memory"

    world.router.after.setdefault("training", []).append(after_start)


def packages() -> list[dict[str, Any]]:
    """Model packages of the group, oldest first."""
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    summaries = sagemaker.list_model_packages(ModelPackageGroupName="fraud")[
        "ModelPackageSummaryList"
    ]
    return sorted(summaries, key=lambda s: s["ModelPackageVersion"])


def train(world: World, payload: Any, name: str = "train-1") -> Any:
    """Run one training execution to its end."""
    return world.wait(world.start(world.training_arn, payload, name))


def test_better_challenger_is_registered_pending_approval(trainer: World) -> None:
    serve_champion(CHAMPION)
    evaluation(trainer, {"auc": 0.93, "latency_ms": 20.5})
    polls: list[str] = []

    def first_poll_in_progress(event: dict[str, Any], result: Any) -> None:
        if event["action"] == "status":
            polls.append(result["status"])
            if len(polls) == 1:
                result.update(status="InProgress", done=False)

    trainer.router.after["training"].append(first_poll_in_progress)
    run = train(trainer, training())
    assert (run.status, run.error) == ("SUCCEEDED", "")
    assert len(polls) == 2, "the Choice looped back once, then went on"
    assert trainer.actions() == ["training-started", "registered"]
    assert trainer.ledger()[-1]["version"] == 2
    registered = packages()[-1]
    assert registered["ModelApprovalStatus"] == "PendingManualApproval"
    described = boto3.client("sagemaker", region_name=REGION).describe_model_package(
        ModelPackageName=registered["ModelPackageArn"]
    )
    metadata = described["CustomerMetadataProperties"]
    assert metadata["metric:auc"] == "0.93"
    assert metadata["lineage:commit"] == "c0ffee99"
    assert metadata["lineage:data_uri"] == "s3://data/fraud/train.csv"
    assert len(metadata["lineage:data_sha256"]) == 64
    assert json.loads(metadata["hyperparameters"]) == {"max_depth": "6"}
    assert not trainer.lock_table.get_item(Key={"pk": f"lock#{ENV}#{TARGET}.training"}).get("Item")


def test_first_model_needs_no_champion(trainer: World) -> None:
    evaluation(trainer, {"auc": 0.5, "latency_ms": 90.0})
    run = train(trainer, training())
    assert run.status == "SUCCEEDED"
    assert trainer.actions() == ["training-started", "registered"]
    assert len(packages()) == 1


@pytest.mark.parametrize(
    ("metrics", "reason"),
    [
        (
            {"auc": 0.905, "latency_ms": 20.0},
            "auc: 0.9 -> 0.905 (higher is better) does not improve enough",
        ),
        (
            {"auc": 0.95, "latency_ms": 21.5},
            "latency_ms: 20.0 -> 21.5 worsens by 1.5, beyond the allowed 1",
        ),
    ],
)
def test_worse_challenger_registers_nothing(
    trainer: World, metrics: dict[str, float], reason: str
) -> None:
    serve_champion(CHAMPION)
    evaluation(trainer, metrics)
    run = train(trainer, training())
    assert run.status == "SUCCEEDED"
    assert trainer.actions() == ["training-started", "gate-rejected"]
    assert reason in trainer.ledger()[-1]["reason"]
    assert len(packages()) == 1
    assert any("Challenger rejected" in m for m in trainer.messages())


def test_training_failure_registers_nothing_and_releases_the_lock(trainer: World) -> None:
    serve_champion(CHAMPION)
    evaluation(trainer, {"auc": 0.99, "latency_ms": 1.0}, fail_job=True)
    run = train(trainer, training())
    assert (run.status, run.error) == ("FAILED", "TrainingFailed")
    assert "AlgorithmError: out of memory" in run.cause
    assert trainer.actions() == ["training-started", "training-failed"]
    assert len(packages()) == 1
    assert not trainer.lock_table.get_item(Key={"pk": f"lock#{ENV}#{TARGET}.training"}).get("Item")


def test_data_with_the_wrong_schema_stops_before_training(trainer: World) -> None:
    run = train(trainer, training(expected_columns=["amount", "label"]))
    assert (run.status, run.error) == ("FAILED", "DataInvalid")
    assert "header is ['amount', 'merchant', 'label'], expected ['amount', 'label']" in run.cause
    assert not any(n == "training" and e["action"] == "start" for n, e in trainer.router.calls)
    assert packages() == []


def test_malformed_training_input_writes_nothing(trainer: World) -> None:
    run = train(trainer, training(data_uri="/local/file.csv", min_rows=0))
    assert (run.status, run.error) == ("FAILED", "InvalidEvent")
    assert "data_uri = '/local/file.csv': must be an s3:// URI" in run.cause
    assert "min_rows = 0: must be an integer of at least 1" in run.cause
    assert trainer.actions() == []
    assert [n for n, _ in trainer.router.calls] == ["intake"]
