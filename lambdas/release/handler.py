"""Write, restore, read the release record of one target, and mark what serves.

Env: none (SSM and SageMaker of the function's account and region). Events by `action`:
`write` `{env, target, record}` writes the record and returns the previous record, its
version and the endpoint configuration serving before the write (empty when the same release
is written again, since then the configuration rightly stays);
`restore` `{env, target, previous: {...}|null}` writes the previous record back (or removes
the record); `read` `{env, target}`; `mark` `{env, target, package_arn}` sets the package's
`CustomerMetadataProperties["serving:<env>"]` to the time of the mark.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..common import aws
from ..common.events import Reader
from ..common.release import ReleaseRecord, delete_release, read_release, write_release

ACTIONS = ("write", "restore", "read", "mark")


def _serving_config(endpoint_name: str) -> str:
    sagemaker = aws.client("sagemaker")
    try:
        return str(sagemaker.describe_endpoint(EndpointName=endpoint_name)["EndpointConfigName"])
    except sagemaker.exceptions.ClientError:
        return ""


def _write(env: str, target: str, record: ReleaseRecord) -> dict[str, Any]:
    ssm = aws.client("ssm")
    previous = read_release(ssm, env, target)
    same = previous is not None and (previous.version, previous.image_digest) == (
        record.version,
        record.image_digest,
    )
    serving = "" if same else _serving_config(record.endpoint_name)
    write_release(ssm, env, target, record)
    return {
        "previous": previous.as_dict() if previous else None,
        "previous_version": previous.version if previous else 0,
        "previous_endpoint_config": serving,
    }


def _restore(env: str, target: str, record: ReleaseRecord | None) -> dict[str, Any]:
    ssm = aws.client("ssm")
    if record is None:
        delete_release(ssm, env, target)
        return {"restored_version": 0, "package_arn": "", "image_digest": "", "commit": ""}
    write_release(ssm, env, target, record)
    return {
        "restored_version": record.version,
        "package_arn": record.package_arn,
        "image_digest": record.image_digest,
        "commit": record.commit,
    }


def _mark(env: str, package_arn: str) -> dict[str, Any]:
    sagemaker = aws.client("sagemaker")
    described = sagemaker.describe_model_package(ModelPackageName=package_arn)
    properties = dict(described.get("CustomerMetadataProperties", {}))
    properties[f"serving:{env}"] = aws.now_iso()
    # UpdateModelPackage replaces the whole map (moto wipes omitted keys): resend all of it.
    sagemaker.update_model_package(
        ModelPackageArn=package_arn, CustomerMetadataProperties=properties
    )
    return {"marked": package_arn}


def handler(event: Mapping[str, object], _context: object) -> dict[str, Any]:
    """Act on the release record as the event's `action` says."""
    reader = Reader("release event", event)
    action = reader.choice("action", ACTIONS)
    env, target = reader.name("env"), reader.name("target")
    record: ReleaseRecord | None = None
    package_arn = ""
    if action == "write":
        record = ReleaseRecord.read(reader.nested("record"))
    elif action == "restore" and event.get("previous") is not None:
        record = ReleaseRecord.read(reader.nested("previous"))
    elif action == "mark":
        package_arn = reader.string("package_arn")
    reader.done(None)
    if action == "read":
        current = read_release(aws.client("ssm"), env, target)
        return {"record": current.as_dict() if current else None}
    if action == "restore":
        return _restore(env, target, record)
    if action == "mark":
        return _mark(env, package_arn)
    assert record is not None
    return _write(env, target, record)
