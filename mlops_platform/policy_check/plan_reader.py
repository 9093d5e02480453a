"""Read a plan file (docs/plan-format.md) back, refusing anything that is not one.

Every problem becomes a `PlanError` whose message is one line naming the file, where in it the
problem is and what was expected.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictStr,
    ValidationError,
)

from mlops_platform.preview.plan import PLAN_VERSION


class PlanError(ValueError):
    """A file that cannot be used as a plan; the message is one line."""


class PlanResource(BaseModel):
    """One resource of a plan, as `mlops preview` writes it."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")

    urn: StrictStr
    type: StrictStr
    name: StrictStr
    custom: StrictBool
    parent: StrictStr | None
    provider: StrictStr | None
    protect: StrictBool
    retain_on_delete: StrictBool = Field(alias="retainOnDelete")
    ignore_changes: list[StrictStr] = Field(alias="ignoreChanges")
    props: dict[str, Any]
    dependencies: list[StrictStr]
    property_dependencies: dict[str, list[StrictStr]] = Field(alias="propertyDependencies")


class Plan(BaseModel):
    """A whole plan: the stack previewed and every resource it registered."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int
    project: StrictStr
    stack: StrictStr
    resources: list[PlanResource]
    _by_urn: dict[str, PlanResource] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        """Index the resources by URN once; the first of a repeated URN wins, as before."""
        for resource in reversed(self.resources):
            self._by_urn[resource.urn] = resource

    def by_urn(self, urn: str) -> PlanResource | None:
        """The resource with `urn`, if the plan has it."""
        return self._by_urn.get(urn)

    @property
    def stack_urn(self) -> str:
        """The URN of the stack resource itself (`pulumi:pulumi:Stack`)."""
        for resource in self.resources:
            if resource.type == "pulumi:pulumi:Stack":
                return resource.urn
        name = f"{self.project}-{self.stack}"
        return f"urn:pulumi:{self.stack}::{self.project}::pulumi:pulumi:Stack::{name}"


def read_plan(path: Path) -> Plan:
    """Read and validate the plan at `path`; raises `PlanError` with a one-line message."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PlanError(f"{path}: cannot be read ({error})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanError(
            f"{path}: not valid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    if not isinstance(document, dict):
        raise PlanError(f"{path}: expected a JSON object, found {type(document).__name__}")
    version = document.get("version")
    if version != PLAN_VERSION:
        raise PlanError(
            f"{path}: plan format version {version!r} is not supported; this mlops reads "
            f"version {PLAN_VERSION} (re-run `mlops preview`)"
        )
    try:
        return Plan.model_validate(document)
    except ValidationError as error:
        raise PlanError(f"{path}: {_first_problem(error)}") from None


def _first_problem(error: ValidationError) -> str:
    detail = error.errors()[0]
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in detail["loc"]
    ).lstrip(".")
    count = error.error_count()
    more = f" (and {count - 1} more problems)" if count > 1 else ""
    return f"{where or 'the plan'}: {detail['msg']}{more}"
