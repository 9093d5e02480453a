"""A person approves before a pipeline deploys.

A deploy action is any action of category `Deploy`, a Step Functions `Invoke` (the promotion
workflow deploys), or a CodeBuild action whose name says it deploys (`Deploy`, `deploy-prod`).
Every one of them needs a Manual approval earlier in the run: in an earlier stage, or in its own
stage with a lower `runOrder`.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.values import as_list, as_number, dig

PIPELINE = "aws:codepipeline/pipeline:Pipeline"

INFO = RuleInfo(
    name="aws-codepipeline-pipeline-manual-approval",
    description="CodePipeline pipelines have a manual approval before every deploy action.",
    resource_types=(PIPELINE,),
    severity=Severity.HIGH,
    remediation=(
        "Add a stage (or an action with a lower run_order) with category 'Approval', owner "
        "'AWS' and provider 'Manual' before every deploy action (Deploy, Step Functions "
        "Invoke, or a CodeBuild action that deploys)."
    ),
)


def _ordered_actions(props: Any) -> list[tuple[int, float, str, Any]]:
    """(stage index, run order, stage name, action) in the order the pipeline runs them."""
    ordered = []
    for index, stage in enumerate(as_list(dig(props, "stages"))):
        for action in as_list(dig(stage, "actions")):
            order = as_number(dig(action, "runOrder")) or 1.0
            ordered.append((index, order, str(dig(stage, "name")), action))
    return sorted(ordered, key=lambda item: (item[0], item[1]))


def _is_approval(action: Any) -> bool:
    return bool(dig(action, "category") == "Approval" and dig(action, "provider") == "Manual")


def _is_deploy(action: Any) -> bool:
    category, provider = dig(action, "category"), dig(action, "provider")
    if category == "Deploy":
        return True
    if category == "Invoke" and provider == "StepFunctions":
        return True
    return provider == "CodeBuild" and "deploy" in str(dig(action, "name") or "").lower()


def _check(args: ResourceValidationArgs, _settings: Settings, report: Report) -> None:
    approved_at: tuple[int, float] | None = None
    for stage, order, stage_name, action in _ordered_actions(args.props):
        if _is_approval(action) and approved_at is None:
            approved_at = (stage, order)
        if not _is_deploy(action):
            continue
        if approved_at is None or approved_at >= (stage, order):
            report(
                f"action {dig(action, 'name')!r} in stage {stage_name!r} deploys before any "
                "manual approval; add a Manual approval action before it"
            )


POLICY = ResourceRule(INFO, _check)
