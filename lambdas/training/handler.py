"""Steps of the training workflow that touch AWS.

Env: `TRAINING_ROLE_ARN` (the role SageMaker training assumes). Events by `action`:
`validate` `{data_uri, expected_columns, min_rows}` -> `{rows, sha256}`;
`start` `{job_name, image, data_uri, output_uri, hyperparameters}` -> `{job_name}`;
`status` `{job_name}` -> `{status, done, model_data_url}` (raises `TrainingFailed`);
`evaluate` `{output_uri, job_name}` -> `{metrics}` from `<output_uri>/<job_name>/evaluation.json`;
`register` `{package_group, image, image_digest, model_data_url, metrics, lineage,
hyperparameters}` -> `{package_arn, version}` (status PendingManualApproval).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..common import aws
from ..common.events import Reader
from . import steps


class TrainingFailed(RuntimeError):  # noqa: N818 - the name is what a Step Functions Catch matches on.
    """The SageMaker training job failed or stopped."""


def _validate(reader: Reader) -> dict[str, object]:
    uri, columns = reader.string("data_uri"), reader.strings("expected_columns", required=True)
    min_rows = reader.integer("min_rows", minimum=1)
    reader.done(None)
    bucket, key = steps.split_s3_uri(uri)
    body = aws.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    return steps.check_csv(body, columns, min_rows)


def _start(reader: Reader) -> dict[str, object]:
    job, image = reader.name("job_name"), reader.string("image")
    data_uri, output_uri = reader.string("data_uri"), reader.string("output_uri")
    hyper = {k: str(v) for k, v in reader.mapping("hyperparameters", required=False).items()}
    reader.done(None)
    aws.client("sagemaker").create_training_job(
        TrainingJobName=job,
        AlgorithmSpecification={"TrainingImage": image, "TrainingInputMode": "File"},
        RoleArn=aws.setting("TRAINING_ROLE_ARN"),
        HyperParameters=hyper,
        InputDataConfig=[
            {
                "ChannelName": "train",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": data_uri}},
            }
        ],
        OutputDataConfig={"S3OutputPath": output_uri},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 86400},
    )
    return {"job_name": job}


def _status(reader: Reader) -> dict[str, object]:
    job = reader.name("job_name")
    reader.done(None)
    described = aws.client("sagemaker").describe_training_job(TrainingJobName=job)
    status = str(described["TrainingJobStatus"])
    if status in ("Failed", "Stopped"):
        raise TrainingFailed(
            f"training job {job} {status}: {described.get('FailureReason', 'no reason given')}"
        )
    artefact = described.get("ModelArtifacts", {}).get("S3ModelArtifacts", "")
    return {"status": status, "done": status == "Completed", "model_data_url": artefact}


def _evaluate(reader: Reader) -> dict[str, object]:
    output_uri, job = reader.string("output_uri"), reader.name("job_name")
    reader.done(None)
    bucket, prefix = steps.split_s3_uri(output_uri.rstrip("/"))
    key = f"{prefix}/{job}/evaluation.json".lstrip("/")
    body = aws.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    return {"metrics": steps.parse_metrics(body)}


def _register(reader: Reader) -> dict[str, object]:
    group, image = reader.name("package_group"), reader.string("image")
    digest, artefact = reader.string("image_digest"), reader.string("model_data_url")
    metrics_reader, raw = reader.nested("metrics"), reader.mapping("metrics")
    metrics = {name: metrics_reader.number(name) for name in raw}
    lineage = {k: str(v) for k, v in reader.mapping("lineage").items()}
    hyper = reader.mapping("hyperparameters", required=False)
    reader.done(None)
    sagemaker: Any = aws.client("sagemaker")
    response = sagemaker.create_model_package(
        ModelPackageGroupName=group,
        ModelApprovalStatus="PendingManualApproval",
        InferenceSpecification={
            "Containers": [{"Image": image, "ImageDigest": digest, "ModelDataUrl": artefact}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        MetadataProperties={
            "CommitId": lineage.get("commit", ""),
            "GeneratedBy": lineage.get("execution_arn", ""),
        },
        CustomerMetadataProperties=steps.package_metadata(metrics, lineage, hyper),
    )
    arn = str(response["ModelPackageArn"])
    return {"package_arn": arn, "version": int(arn.rsplit("/", 1)[-1])}


_ACTIONS: dict[str, Callable[[Reader], dict[str, object]]] = {
    "validate": _validate,
    "start": _start,
    "status": _status,
    "evaluate": _evaluate,
    "register": _register,
}


def handler(event: Mapping[str, object], _context: object) -> dict[str, object]:
    """Run one training step, chosen by the event's `action`."""
    reader = Reader("training event", event)
    action = reader.choice("action", tuple(_ACTIONS))
    reader.done(None)
    return _ACTIONS[action](reader)
