"""Check after an apply that the live target serves the release record.

Env: `EKS_TARGETS` (optional, see `targets.py`): the targets that are model services on EKS,
each with its cluster, namespace and Rollout; every other target is a SageMaker endpoint.
Event: `{"env", "target", "previous_endpoint_config", "attempt"?, "max_attempts"?}`.
Returns `{"state": "waiting", "attempt": n+1}` while the endpoint is `Updating` or the Rollout
`Progressing`, `{"state": "verified"}` when it matches; raises `SilentRollback` when it does
not (an endpoint still on the previous configuration or other images, a Rollout aborted back
to its stable version or whose stable ReplicaSet runs another digest), `VerifyFailed` when it
failed (`Failed`, `Degraded`) or never settled.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from typing import Any

import boto3
from kubernetes.client.exceptions import ApiException
from urllib3.exceptions import HTTPError

from ..common import aws
from ..common.events import Reader
from ..common.release import ReleaseRecord, read_release
from . import kube
from .live import BUSY, mismatches, read_live
from .rollout import judge
from .targets import VARIABLE, ServiceRef, parse_targets


class SilentRollback(RuntimeError):  # noqa: N818 - the name is what a Step Functions Catch matches on.
    """The apply succeeded but the target does not serve the release record."""


class VerifyFailed(RuntimeError):  # noqa: N818 - the name is what a Step Functions Catch matches on.
    """The target failed, never settled, or there is no release record."""


@functools.cache
def _token_client() -> Any:
    session = boto3.session.Session()
    return kube.token_client(session, session.region_name)


def _connect(service: ServiceRef) -> kube.RolloutReader:
    api = kube.connect(aws.client("eks"), _token_client(), service.cluster_name)
    return kube.RolloutReader(api)


connect_rollouts: Callable[[ServiceRef], kube.RolloutReader] = _connect
"""How the handler reaches a service's Rollout (tests put a reader over a fake API here)."""


def handler(event: Mapping[str, object], _context: object) -> dict[str, object]:
    """Compare the live target with the release record."""
    reader = Reader("verify event", event)
    env, target = reader.name("env"), reader.name("target")
    previous = reader.string("previous_endpoint_config", required=False)
    attempt = reader.integer("attempt", default=0)
    max_attempts = reader.integer("max_attempts", minimum=1, maximum=1000, default=60)
    reader.done(None)
    record = read_release(aws.client("ssm"), env, target)
    if record is None:
        raise VerifyFailed(f"no release record for {env}/{target}")
    service = parse_targets(os.environ.get(VARIABLE, "")).get(target)
    if service is not None:
        return _verify_service(record, service, attempt, max_attempts)
    return _verify_endpoint(record, previous, attempt, max_attempts)


def _verify_endpoint(
    record: ReleaseRecord, previous: str, attempt: int, max_attempts: int
) -> dict[str, object]:
    sagemaker = aws.client("sagemaker")
    endpoint = sagemaker.describe_endpoint(EndpointName=record.endpoint_name)
    status = str(endpoint["EndpointStatus"])
    if status in BUSY:
        if attempt + 1 >= max_attempts:
            raise VerifyFailed(f"{record.endpoint_name} still {status} after {max_attempts} checks")
        return {"state": "waiting", "attempt": attempt + 1, "endpoint_status": status}
    if status != "InService":
        reason = endpoint.get("FailureReason", "no reason given")
        raise VerifyFailed(f"{record.endpoint_name} is {status}: {reason}")
    live = read_live(sagemaker, endpoint)
    found = mismatches(live, record, previous)
    if found:
        raise SilentRollback(
            f"{record.endpoint_name} does not serve version {record.version}: " + "; ".join(found)
        )
    return {"state": "verified", "attempt": attempt, "endpoint_config": live.config_name}


def _verify_service(
    record: ReleaseRecord, service: ServiceRef, attempt: int, max_attempts: int
) -> dict[str, object]:
    where = f"{service.namespace}/{service.rollout} on {service.cluster_name}"
    try:
        live = connect_rollouts(service).read(service.namespace, service.rollout)
    except ApiException as error:
        raise VerifyFailed(
            f"cannot read the Rollout {where}: {error.status} {error.reason}"
        ) from error
    except HTTPError as error:
        raise VerifyFailed(f"cannot reach the API of {where}: {error}") from error
    verdict = judge(live, record)
    reasons = "; ".join(verdict.reasons)
    if verdict.state == "waiting":
        if attempt + 1 >= max_attempts:
            raise VerifyFailed(f"{reasons}, still after {max_attempts} checks")
        return {"state": "waiting", "attempt": attempt + 1, "rollout_phase": live.phase}
    if verdict.state == "failed":
        raise VerifyFailed(reasons)
    if verdict.state == "rolled_back":
        raise SilentRollback(f"{live.name} does not serve version {record.version}: {reasons}")
    return {"state": "verified", "attempt": attempt, "stable_hash": live.stable_hash}
