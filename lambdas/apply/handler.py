"""Start the environment's deploy (`pulumi up` in CodeBuild) and report on it.

Env: `CODEBUILD_PROJECT`. Events: `{"action": "start", "env", "target", "version"}` returns
`{"build_id"}`; `{"action": "status", "build_id"}` returns `{"build_status", "done"}` and
raises `ApplyFailed` when the build ended in anything but success.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..common import aws
from ..common.events import Reader

_FAILED = frozenset({"FAILED", "FAULT", "STOPPED", "TIMED_OUT"})


class ApplyFailed(RuntimeError):  # noqa: N818 - the name is what a Step Functions Catch matches on.
    """The deploy build did not succeed."""


def handler(event: Mapping[str, object], _context: object) -> dict[str, object]:
    """Start a build, or report the status of one."""
    reader = Reader("apply event", event)
    action = reader.choice("action", ("start", "status"))
    codebuild = aws.client("codebuild")
    if action == "start":
        env, target = reader.name("env"), reader.name("target")
        version = reader.integer("version", minimum=0)
        reader.done(None)
        build = codebuild.start_build(
            projectName=aws.setting("CODEBUILD_PROJECT"),
            environmentVariablesOverride=[
                {"name": "MLOPS_ENV", "value": env, "type": "PLAINTEXT"},
                {"name": "MLOPS_TARGET", "value": target, "type": "PLAINTEXT"},
                {"name": "MLOPS_VERSION", "value": str(version), "type": "PLAINTEXT"},
            ],
        )["build"]
        return {"build_id": build["id"]}
    build_id = reader.string("build_id")
    reader.done(None)
    builds = codebuild.batch_get_builds(ids=[build_id])["builds"]
    if not builds:
        raise ApplyFailed(f"build_id = {build_id!r}: no such build")
    status = str(builds[0]["buildStatus"])
    if status in _FAILED:
        raise ApplyFailed(f"deploy build {build_id} ended {status}; see its CodeBuild logs")
    return {"build_status": status, "done": status == "SUCCEEDED"}
