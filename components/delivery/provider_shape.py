"""The `CreatePipeline` declaration (camelCase, from `pipeline_spec`) in the provider's shape.

Pure: `aws.codepipeline.Pipeline` takes snake_case blocks, one `condition` per stage condition,
and artifacts as plain names; this module maps one onto the other and drops nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_ACTION_KEYS = {
    "namespace": "namespace",
    "roleArn": "role_arn",
    "region": "region",
    "runOrder": "run_order",
    "timeoutInMinutes": "timeout_in_minutes",
}


def _names(artifacts: Any) -> list[str]:
    return [artifact["name"] for artifact in artifacts or ()]


def action(declared: Mapping[str, Any]) -> dict[str, Any]:
    """One action: its type id flattened, artifacts as names."""
    type_id = declared["actionTypeId"]
    result: dict[str, Any] = {
        "name": declared["name"],
        "category": type_id["category"],
        "owner": type_id["owner"],
        "provider": type_id["provider"],
        "version": type_id["version"],
        "configuration": dict(declared.get("configuration", {})),
    }
    if declared.get("inputArtifacts"):
        result["input_artifacts"] = _names(declared["inputArtifacts"])
    if declared.get("outputArtifacts"):
        result["output_artifacts"] = _names(declared["outputArtifacts"])
    for key, name in _ACTION_KEYS.items():
        if declared.get(key) is not None:
            result[name] = declared[key]
    return result


def _rule(declared: Mapping[str, Any]) -> dict[str, Any]:
    type_id = declared["ruleTypeId"]
    result: dict[str, Any] = {
        "name": declared["name"],
        "rule_type_id": {
            "category": type_id["category"],
            "owner": type_id["owner"],
            "provider": type_id["provider"],
            "version": type_id["version"],
        },
        "configuration": dict(declared.get("configuration", {})),
    }
    for key in ("roleArn", "region"):
        if declared.get(key) is not None:
            result["role_arn" if key == "roleArn" else "region"] = declared[key]
    return result


def _condition(declared: Mapping[str, Any]) -> dict[str, Any]:
    conditions = declared["conditions"]
    if len(conditions) != 1:
        raise ValueError(f"the provider takes one condition per stage condition, not {conditions}")
    only = conditions[0]
    return {"result": only["result"], "rules": [_rule(rule) for rule in only["rules"]]}


def stage(declared: Mapping[str, Any]) -> dict[str, Any]:
    """One stage with its actions and its V2 conditions."""
    result: dict[str, Any] = {
        "name": declared["name"],
        "actions": [action(a) for a in declared["actions"]],
    }
    if "beforeEntry" in declared:
        result["before_entry"] = {"condition": _condition(declared["beforeEntry"])}
    if "onSuccess" in declared:
        result["on_success"] = {"condition": _condition(declared["onSuccess"])}
    if "onFailure" in declared:
        result["on_failure"] = {"result": declared["onFailure"]["result"]}
    return result


def stages(declaration: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every stage of the declaration, in order."""
    return [stage(s) for s in declaration["stages"]]


def triggers(declaration: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The V2 git triggers: pushes to the listed branches."""
    return [
        {
            "provider_type": trigger["providerType"],
            "git_configuration": {
                "source_action_name": trigger["gitConfiguration"]["sourceActionName"],
                "pushes": [
                    {"branches": {"includes": list(push["branches"]["includes"])}}
                    for push in trigger["gitConfiguration"]["push"]
                ],
            },
        }
        for trigger in declaration["triggers"]
    ]


def variables(declaration: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The pipeline variables with their defaults."""
    return [
        {
            "name": v["name"],
            "default_value": v["defaultValue"],
            "description": v["description"],
        }
        for v in declaration["variables"]
    ]


def artifact_store(declaration: Mapping[str, Any]) -> dict[str, Any]:
    """The one artifact store, encrypted with the pipeline's key."""
    store = declaration["artifactStore"]
    key = store["encryptionKey"]
    return {
        "location": store["location"],
        "type": store["type"],
        "encryption_key": {"id": key["id"], "type": key["type"]},
    }
