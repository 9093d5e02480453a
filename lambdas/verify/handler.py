"""Check after an apply that the live endpoint serves the release record.

Env: none. Event: `{"env", "target", "previous_endpoint_config", "attempt"?, "max_attempts"?}`.
Returns `{"state": "waiting", "attempt": n+1}` while the endpoint is busy, `{"state": "verified"}`
when it matches; raises `SilentRollback` when it does not, `VerifyFailed` when it failed or never
settled.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..common import aws
from ..common.events import Reader
from ..common.release import read_release
from .live import BUSY, mismatches, read_live


class SilentRollback(RuntimeError):  # noqa: N818 - the name is what a Step Functions Catch matches on.
    """The apply succeeded but the endpoint does not serve the release record."""


class VerifyFailed(RuntimeError):  # noqa: N818 - the name is what a Step Functions Catch matches on.
    """The endpoint failed, never settled, or there is no release record."""


def handler(event: Mapping[str, object], _context: object) -> dict[str, object]:
    """Compare the live endpoint with the release record."""
    reader = Reader("verify event", event)
    env, target = reader.name("env"), reader.name("target")
    previous = reader.string("previous_endpoint_config", required=False)
    attempt = reader.integer("attempt", default=0)
    max_attempts = reader.integer("max_attempts", minimum=1, maximum=1000, default=60)
    reader.done(None)
    record = read_release(aws.client("ssm"), env, target)
    if record is None:
        raise VerifyFailed(f"no release record for {env}/{target}")
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
