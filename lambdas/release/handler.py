"""Write, restore or read the release record of one target (SSM parameter, see common.release).

Env: none (SSM and SageMaker of the function's account and region). Events:
`{"action": "write", "env", "target", "record": {...}}` returns the previous record and the
endpoint configuration serving before the write; `{"action": "restore", "env", "target",
"previous": {...}|null}` writes the previous record back (or removes the record);
`{"action": "read", "env", "target"}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..common import aws
from ..common.events import Reader
from ..common.release import ReleaseRecord, delete_release, read_release, write_release


def _serving_config(endpoint_name: str) -> str:
    sagemaker = aws.client("sagemaker")
    try:
        return str(sagemaker.describe_endpoint(EndpointName=endpoint_name)["EndpointConfigName"])
    except sagemaker.exceptions.ClientError:
        return ""


def handler(event: Mapping[str, object], _context: object) -> dict[str, Any]:
    """Act on the release record as the event's `action` says."""
    reader = Reader("release event", event)
    action = reader.choice("action", ("write", "restore", "read"))
    env, target = reader.name("env"), reader.name("target")
    record: ReleaseRecord | None = None
    if action == "write":
        record = ReleaseRecord.read(reader.nested("record"))
    elif action == "restore" and event.get("previous") is not None:
        record = ReleaseRecord.read(reader.nested("previous"))
    reader.done(None)
    ssm = aws.client("ssm")
    if action == "read":
        current = read_release(ssm, env, target)
        return {"record": current.as_dict() if current else None}
    if action == "restore":
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
    assert record is not None
    previous = read_release(ssm, env, target)
    serving = _serving_config(record.endpoint_name)
    write_release(ssm, env, target, record)
    return {
        "previous": previous.as_dict() if previous else None,
        "previous_version": previous.version if previous else 0,
        "previous_endpoint_config": serving,
    }
