"""Every Task of a state machine catches its errors into a path that cleans up."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Report, ResourceRule, RuleInfo, Settings, boolean
from mlops_platform.policies.common.values import as_list, as_mapping, known, parse_json
from mlops_platform.policies.sfn.logging import STATE_MACHINE

INFO = RuleInfo(
    name="aws-sfn-state-machine-task-catch",
    description="Every Task state of a state machine has a Catch (on States.ALL by default).",
    resource_types=(STATE_MACHINE,),
    severity=Severity.HIGH,
    remediation=(
        "Give every Task a Catch whose last entry matches States.ALL and leads to a path that "
        "releases what the execution took (locks, half-written records) and reports the failure."
    ),
    params={
        "requireCatchAll": boolean(
            "A Task's Catch must match States.ALL, not only named errors.", True
        )
    },
)


def _states(states: Any, where: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(label, state) of every state, inside Parallel branches and Map processors too."""
    for name, raw in as_mapping(states).items():
        state = as_mapping(raw)
        label = f"{where}{name}"
        yield label, state
        for index, branch in enumerate(as_list(state.get("Branches"))):
            yield from _states(as_mapping(branch).get("States"), f"{label}/branch {index + 1}/")
        for key in ("ItemProcessor", "Iterator"):
            if key in state:
                yield from _states(as_mapping(state[key]).get("States"), f"{label}/")


def uncaught(definition: Mapping[str, Any], *, require_all: bool) -> list[str]:
    """What is wrong with the Catch of each Task of `definition`, one line per Task."""
    problems = []
    for label, state in _states(definition.get("States"), ""):
        if state.get("Type") != "Task":
            continue
        catchers = [as_mapping(entry) for entry in as_list(state.get("Catch"))]
        if not catchers:
            problems.append(f"Task {label!r} has no Catch")
        elif require_all and not any(
            "States.ALL" in as_list(entry.get("ErrorEquals")) for entry in catchers
        ):
            problems.append(f"Task {label!r} catches only named errors, not States.ALL")
    return problems


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    text, unknown = known(args.props, "definition")
    if unknown is not None:
        raise unknown  # an ARN in it is not known yet: nothing to read during this preview
    definition, ok = parse_json(text)
    if not ok or not isinstance(definition, Mapping):
        report("the definition is not a JSON object; cannot check its Task states")
        return
    for problem in uncaught(definition, require_all=settings["requireCatchAll"]):
        report(f"{problem}; catch States.ALL into a path that cleans up and reports the failure")


POLICY = ResourceRule(INFO, _check)
