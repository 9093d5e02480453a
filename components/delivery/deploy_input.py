"""What the pipeline's deploy action sends the promotion workflow, and how it reads approvals.

Pure (standard library and the workflow's pure `lambdas/common/approval.py`). The input has
exactly the shape the workflow's intake accepts (`lambdas/intake/handler.py`): `env`,
`target`, `actor`, a whole `release` record (`lambdas/common/release.py`), `approval`, `bake`,
`timing` and `lock_ttl_seconds`. Values known when the program runs (endpoint, variants,
alarms, settings) are written in; values of the run are CodePipeline variables that it
resolves before it starts the execution: the package from the pipeline variables the
registry trigger sets, the commit from the source action, the image and its digest from the
build action.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mlops_platform.lambdas.common import approval as _approval

PACKAGE_VARIABLE = "PackageArn"
"""The pipeline variable that carries the exact approved model package ARN."""
VERSION_VARIABLE = "PackageVersion"
"""The pipeline variable that carries the package's version number in its group."""
MODEL_DATA_VARIABLE = "ModelDataUrl"
"""The pipeline variable that carries the package's model artifact (`s3://...`)."""
CURRENT_PACKAGE = "current"
"""`PackageArn` and `ModelDataUrl` of a run not started by the registry."""
NO_VERSION = "0"
"""`PackageVersion` of a run not started by the registry: the intake refuses it."""
SOURCE_ARTIFACT = "SourceOutput"
BUILD_ARTIFACT = "BuildOutput"
SOURCE_NAMESPACE = "SourceVariables"
BUILD_NAMESPACE = "BuildVariables"
APPROVAL_ACTION = "Approve"
MAX_CONFIGURATION_VALUE = 1000
"""CodePipeline's limit on one action configuration value (the deploy action's `Input`)."""


def ref(namespace: str, name: str) -> str:
    """A CodePipeline variable reference, `#{namespace.name}`."""
    return f"#{{{namespace}.{name}}}"


VERSION_REF = ref("variables", VERSION_VARIABLE)
"""Where the version goes; the only variable sent as a JSON number (unquoted)."""


@dataclass(frozen=True, kw_only=True)
class PromotionSettings:
    """The promotion workflow's settings the deploy action sends (the intake checks them)."""

    approval_required: bool = False
    """The workflow waits for a person's task-token answer (`mlops:workflows`; prod: true)."""
    approval_timeout_seconds: int = 86400
    """How long that approval waits."""
    bake_interval_seconds: int = 300
    """Seconds between two looks at the alarms while baking."""
    bake_checks: int = 6
    """Looks at the alarms before the version counts as promoted."""
    poll_seconds: int = 30
    """Seconds between two polls of the deploy and of the endpoint."""
    max_polls: int = 60
    """Polls before verification gives up."""
    lock_ttl_seconds: int = 7200
    """Expiry of the promotion lock."""


@dataclass(frozen=True)
class ReleaseVariant:
    """One production variant the release record expects live."""

    name: str
    """Variant name."""
    weight: float
    """Traffic weight (a ratio)."""
    instance_count: int
    """Instances it runs."""


@dataclass(frozen=True, kw_only=True)
class DeployTarget:
    """What one deploy stage promotes, known when the program runs."""

    environment: str
    """The environment (`env` of the input)."""
    target: str
    """The release target (the endpoint's name, as the workflow names it)."""
    endpoint_name: str
    """The live endpoint that serves it."""
    variants: Sequence[ReleaseVariant] = ()
    """The variants the record expects live; empty: not checked."""
    alarm_names: Sequence[str] = ()
    """The alarms the bake watches."""
    settings: PromotionSettings = field(default_factory=PromotionSettings)
    """Approval, bake, polling and lock settings."""
    pipeline_approval: bool = False
    """The stage has a Manual approval before the deploy: the approval block names it (and the
    workflow asks nobody again)."""


def _release(target: DeployTarget) -> dict[str, Any]:
    digest = ref(BUILD_NAMESPACE, "IMAGE_DIGEST")
    return {
        "version": VERSION_REF,
        "package_arn": ref("variables", PACKAGE_VARIABLE),
        "image": f"{ref(BUILD_NAMESPACE, 'IMAGE_URI')}@{digest}",
        "image_digest": digest,
        "model_data_url": ref("variables", MODEL_DATA_VARIABLE),
        "commit": ref(SOURCE_NAMESPACE, "CommitId"),
        "endpoint_name": target.endpoint_name,
        "variants": [
            {"name": v.name, "weight": v.weight, "instance_count": v.instance_count}
            for v in target.variants
        ],
    }


def workflow_input(pipeline: str, target: DeployTarget) -> dict[str, Any]:
    """The promotion workflow's input, its run-time values as unresolved variables.

    `release.version` holds `VERSION_REF`, which `action_input` sends unquoted. With a pipeline
    approval, the approval block names the pipeline, that action and the pipeline execution
    and sets `required` false: the person who approved in the pipeline is the approval, and
    the workflow reads who it was and their comment from CodePipeline for the ledger, instead
    of asking a second time.
    """
    settings = target.settings
    approval: dict[str, Any] = {
        "required": settings.approval_required and not target.pipeline_approval,
        "timeout_seconds": settings.approval_timeout_seconds,
    }
    if target.pipeline_approval:
        approval |= {
            "pipeline": pipeline,
            "stage": target.environment,
            "action": APPROVAL_ACTION,
            "pipeline_execution_id": ref("codepipeline", "PipelineExecutionId"),
        }
    return {
        "env": target.environment,
        "target": target.target,
        "actor": f"codepipeline/{pipeline}",
        "release": _release(target),
        "approval": approval,
        "bake": {
            "interval_seconds": settings.bake_interval_seconds,
            "checks": settings.bake_checks,
            "alarm_names": list(target.alarm_names),
        },
        "timing": {"poll_seconds": settings.poll_seconds, "max_polls": settings.max_polls},
        "lock_ttl_seconds": settings.lock_ttl_seconds,
    }


def action_input(pipeline: str, target: DeployTarget) -> str:
    """The deploy action's `Input`: `workflow_input` as compact JSON, the version unquoted.

    CodePipeline replaces each `#{...}` before it starts the execution, so the text is JSON
    with a number for `release.version` once the variables are resolved. Raises `ValueError`
    above CodePipeline's 1000 characters for one configuration value.
    """
    text = json.dumps(workflow_input(pipeline, target), sort_keys=True, separators=(",", ":"))
    text = text.replace(json.dumps(VERSION_REF), VERSION_REF)
    if len(text) > MAX_CONFIGURATION_VALUE:
        raise ValueError(
            f"the {target.environment} deploy action's input has {len(text)} characters; "
            f"CodePipeline allows {MAX_CONFIGURATION_VALUE}"
        )
    return text


def approval_record(
    action_executions: Sequence[Mapping[str, Any]], stage: str, action: str = APPROVAL_ACTION
) -> dict[str, str] | None:
    """Who approved and what they wrote, from `ListActionExecutions` details of one execution.

    The workflow's approval handler reads the same details with the same function
    (`lambdas/common/approval.py`); None when the approval of `stage` has not succeeded.
    """
    return _approval.approval_record(action_executions, stage, action)
