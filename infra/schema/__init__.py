"""The shape of the `mlops:` stack config, as pydantic models, and how their errors read.

Each model checks types, allowed values and unknown keys. Rules that belong to a component
(CIDR layout, AWS limits) are checked by the component's args, so they hold for platform teams
who use the components without this config.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator
from pydantic.alias_generators import to_camel

from mlops_platform.components.core import Problem

NAMESPACE = "mlops"
"""The stack-config namespace of the platform's keys (`mlops:network`)."""


class Missing:
    """Stands for a required key that the stack file does not set."""

    def __repr__(self) -> str:
        """Read as `(missing)` in messages."""
        return "(missing)"


MISSING = Missing()


@dataclass(frozen=True)
class StackContext:
    """What every block's builder takes from the stack-wide keys."""

    stack: str
    environment: str | None
    """None while the stack-wide keys are themselves invalid: environment rules wait."""
    tags: Mapping[str, str]
    """The common tags every taggable resource carries."""
    protect_data: bool
    """Protect stateful resources and keep them on destroy."""
    deploy_role_arn: str | None = None
    """The role the stack deploys through (`mlops:account`); None: the caller's credentials."""


class Section(BaseModel):
    """A block of stack config: camelCase keys, frozen, no unknown keys."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        extra="forbid",
        frozen=True,
        populate_by_name=False,
        use_attribute_docstrings=True,
        allow_inf_nan=False,
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_boolean_numbers(cls, value: object, info: ValidationInfo) -> object:
        """YAML reads `true` as a boolean, which pydantic would take as the number 1."""
        if isinstance(value, bool) and info.field_name is not None:
            annotation = cls.model_fields[info.field_name].annotation
            if _numeric(annotation):
                raise ValueError(f"must be a number, not {str(value).lower()}")
        return value


def _numeric(annotation: Any) -> bool:
    """Whether `annotation` takes numbers and not booleans (`int`, `float | None`)."""
    members = set(getattr(annotation, "__args__", ())) or {annotation}
    return bool(members & {int, float}) and bool not in members


def values_of(settings: BaseModel, *exclude: str) -> dict[str, Any]:
    """The keys the stack file sets in a block, by field name; unset keys take the Args defaults.

    The one way every block's `build` turns settings into a component's arguments, so a key
    left out never reaches the Args as a value (an explicit `null` never gets this far: the
    block machinery refuses it first, see `blocks.nulls`).
    """
    return settings.model_dump(exclude_unset=True, exclude=set(exclude))


def problems_from(error: ValidationError, prefix: str, model: type[BaseModel]) -> list[Problem]:
    """Turn pydantic's errors into problems keyed by the stack-config path."""
    problems = []
    for detail in error.errors(include_url=False):
        location = detail["loc"]
        path = _path(location)
        field = f"{prefix}.{path}" if path else prefix
        problems.append(Problem(field, _value(detail), _reason(detail, model, location)))
    return problems


def _path(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _value(detail: Any) -> object:
    return MISSING if detail["type"] == "missing" else detail["input"]


def _reason(detail: Any, model: type[BaseModel], location: tuple[int | str, ...]) -> str:
    kind = detail["type"]
    context = detail.get("ctx", {})
    if kind == "extra_forbidden":
        return "unknown key; allowed keys: " + ", ".join(_allowed_keys(model, location[:-1]))
    if kind == "missing":
        return "required: " + _description(model, location)
    if kind == "literal_error":
        return f"allowed: {context['expected']}"
    if kind == "value_error":
        return str(context.get("error", detail["msg"]))
    readable = {
        "string_type": "must be a string",
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "finite_number": "must be a finite number, not NaN or infinity",
        "bool_type": "must be true or false",
        "bool_parsing": "must be true or false",
        "list_type": "must be a list",
        "dict_type": "must be a mapping of keys to values",
        "model_type": "must be a mapping; allowed keys: "
        + ", ".join(_allowed_keys(model, location)),
    }
    return readable.get(kind, str(detail["msg"]))


def _description(model: type[BaseModel], location: tuple[int | str, ...]) -> str:
    """The docstring of the field at `location`, which says what the key is for."""
    parent = _model_at(model, location[:-1])
    if parent is None:
        return "a value"
    for name, info in parent.model_fields.items():
        if (info.alias or name) == location[-1]:
            text = (info.description or "a value").rstrip(".")
            return text[:1].lower() + text[1:]
    return "a value"


def _allowed_keys(model: type[BaseModel], location: tuple[int | str, ...]) -> list[str]:
    """The camelCase keys of the model found by following `location` from `model`."""
    found = _model_at(model, location)
    if found is None:
        return []
    return sorted(info.alias or name for name, info in found.model_fields.items())


def _model_at(model: type[BaseModel], location: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model found by following `location` from `model` (list indices are skipped)."""
    current: Any = model
    for part in location:
        if isinstance(part, int) or not (
            isinstance(current, type) and issubclass(current, BaseModel)
        ):
            continue
        by_alias = {info.alias or name: info for name, info in current.model_fields.items()}
        info = by_alias.get(part)
        current = _model_in(info.annotation) if info is not None else None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _model_in(annotation: Any) -> Any:
    """The model inside `X`, `X | None`, `list[X]` or `dict[str, X]`, if there is one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found is not None:
            return found
    return None
