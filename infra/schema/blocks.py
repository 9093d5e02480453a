"""How a block of stack config becomes a component's args: validate, build, apply rules.

A block is the value of one key (`mlops:network`) or one entry of a list key
(`mlops:endpoints[0]`). Its schema module (`infra.schema.<block>`) gives the pydantic model, a
`build` function and the environment's rules; every problem is added to the caller's list,
renamed to the stack-config path (`mlops:network.azCount`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.alias_generators import to_camel

from infra.schema import MISSING, NAMESPACE, StackContext, problems_from
from infra.schema.written import as_written
from mlops_platform.components.core import ArgsError, Problem

_ModelT = TypeVar("_ModelT", bound=BaseModel)
_ArgsT = TypeVar("_ArgsT")
_SettingsT = TypeVar("_SettingsT", bound=BaseModel)
_SettingsT_contra = TypeVar("_SettingsT_contra", bound=BaseModel, contravariant=True)


class BlockSchema(Protocol[_SettingsT_contra, _ArgsT]):
    """A module of `infra.schema` that turns one block's settings into a component's args."""

    def build(self, settings: _SettingsT_contra, context: StackContext) -> _ArgsT:
        """The component's args from the block's validated settings and the stack's context."""
        ...

    def environment_rules(self, args: _ArgsT, context: StackContext) -> list[Problem]:
        """What the stack's environment demands of the args; fields relative to the block."""
        ...


class ListBlockSchema(BlockSchema[_SettingsT_contra, _ArgsT], Protocol):
    """A schema module whose block is a list of entries, with rules across the entries."""

    def list_rules(self, items: Sequence[_ArgsT | None]) -> list[Problem]:
        """Rules across the entries (unique names); None stands for an invalid entry."""
        ...


@dataclass(frozen=True)
class Block:
    """One key of the namespace that holds a block of settings: the table `config.py` reads."""

    key: str
    """The key without its namespace (`network`)."""
    model: type[BaseModel]
    """The pydantic model of the block (of each entry, for a list block)."""
    schema: Any = None
    """The `infra.schema.<block>` module that builds the args (a `BlockSchema`, a
    `ListBlockSchema` when `many`); None for a block that is only validated (`account`)."""
    many: bool = False
    """The key holds a list of blocks (`mlops:endpoints`); absent means none."""
    required: bool = False
    """The stack file must set the key."""


def read(
    block_: Block, values: Mapping[str, Any], context: StackContext, problems: list[Problem]
) -> Any:
    """The args built from one block of the table (a list for a list block; None when unset)."""
    if block_.many:
        return list_block(
            values, block_.key, model=block_.model, schema=block_.schema, context=context,
            problems=problems,
        )  # fmt: skip
    if block_.key not in values and not block_.required:
        return None
    if block_.schema is None:
        return validate(block_.model, values[block_.key], block_.key, problems)
    return block(
        values, block_.key, model=block_.model, schema=block_.schema, context=context,
        problems=problems,
    )  # fmt: skip


def block(
    values: Mapping[str, Any],
    key: str,
    *,
    model: type[_SettingsT],
    schema: BlockSchema[_SettingsT, _ArgsT],
    context: StackContext,
    problems: list[Problem],
) -> _ArgsT | None:
    """Validate block `key`, build its args and apply its environment's rules.

    Returns None when anything in the block is wrong: a partial block never deploys.
    """
    if key not in values:
        problems.append(Problem(f"{NAMESPACE}:{key}", MISSING, "required block"))
        return None
    return _build_block(
        values[key], key, model=model, schema=schema, context=context, problems=problems
    )


def list_block(
    values: Mapping[str, Any],
    key: str,
    *,
    model: type[_SettingsT],
    schema: ListBlockSchema[_SettingsT, _ArgsT],
    context: StackContext,
    problems: list[Problem],
) -> list[_ArgsT | None]:
    """Validate list block `key` (optional: absent is empty), each entry as `block` does.

    Problems of entry 2 read `mlops:<key>[2].<field>`; the schema's `list_rules` then check
    across the entries. Entries that are wrong come back as None, in their places.
    """
    items = values.get(key, [])
    if not isinstance(items, list):
        problems.append(Problem(f"{NAMESPACE}:{key}", items, "must be a list"))
        return []
    built = [
        _build_block(
            item, f"{key}[{index}]", model=model, schema=schema, context=context, problems=problems
        )
        for index, item in enumerate(items)
    ]
    problems += [
        Problem(f"{NAMESPACE}:{key}{p.field}", p.value, p.reason) for p in schema.list_rules(built)
    ]
    return built


def _build_block(
    value: Any,
    key: str,
    *,
    model: type[_SettingsT],
    schema: BlockSchema[_SettingsT, _ArgsT],
    context: StackContext,
    problems: list[Problem],
) -> _ArgsT | None:
    """Validate one block's value, build its args and apply its environment's rules."""
    settings, dropped = _validate_section(model, value, key, problems)
    if settings is None:
        return None
    prefix = f"{NAMESPACE}:{key}."
    try:
        args = schema.build(settings, context)
    except ArgsError as error:
        moved = [as_written(p.moved_to(prefix, to_camel)) for p in error.problems]
        problems += [p for p in moved if _head(p.field, prefix) not in dropped]
        return None
    # A key that failed to parse took its default: its default is not the user's to hear about.
    ruled = [
        as_written(p.moved_to(prefix, to_camel)) for p in schema.environment_rules(args, context)
    ]
    problems += [p for p in ruled if _head(p.field, prefix) not in dropped]
    return None if dropped else args


def validate(model: type[_ModelT], value: Any, key: str, problems: list[Problem]) -> _ModelT | None:
    """Validate `value` against `model`, adding its problems; `key` "" means the top level."""
    prefix = f"{NAMESPACE}:{key}" if key else NAMESPACE
    try:
        return model.model_validate(value)
    except ValidationError as error:
        found = problems_from(error, prefix, model)
        if not key:  # top-level keys read `mlops:owner`, not `mlops.owner`
            found = [Problem(p.field.replace(".", ":", 1), p.value, p.reason) for p in found]
        problems += found
        return None


def nulls(value: Any, path: str) -> list[Problem]:
    """Every explicit `null` inside a block's value, by camelCase path.

    YAML writes `null` for a key left empty (every list entry commented out, say). One rule
    everywhere: a `null` is never a value; remove the key to take its default.
    """
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            where = f"{path}.{key}"
            found += (
                [Problem(where, None, "null is not a value: remove the key to take its default")]
                if item is None
                else nulls(item, where)
            )
        return found
    if isinstance(value, list):
        return [
            problem
            for index, item in enumerate(value)
            for problem in (
                [Problem(f"{path}[{index}]", None, "null is not a list entry: remove it")]
                if item is None
                else nulls(item, f"{path}[{index}]")
            )
        ]
    return []


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value if v is not None]
    return value


def _validate_section(
    model: type[_ModelT], value: Any, key: str, problems: list[Problem]
) -> tuple[_ModelT | None, frozenset[str]]:
    """Validate a block; when some keys are bad, also return a model of the keys that are good.

    The partial model lets the component's own checks run on the good keys, so a type error in
    one key does not hide an overlapping CIDR in another. The bad keys come back as `dropped`,
    and so do keys set to `null` (each reported by `nulls`).
    """
    found = nulls(value, f"{NAMESPACE}:{key}")
    if found:
        problems += found
        start = len(f"{NAMESPACE}:{key}.")
        heads = {re.split(r"[.\[]", p.field[start:], maxsplit=1)[0] for p in found}
        settings, dropped = _validate_section(model, _without_nulls(value), key, problems)
        return settings, dropped | frozenset(heads)
    try:
        return model.model_validate(value), frozenset()
    except ValidationError as error:
        problems += problems_from(error, f"{NAMESPACE}:{key}", model)
        if not isinstance(value, dict):
            return None, frozenset()
        dropped = frozenset(str(detail["loc"][0]) for detail in error.errors() if detail["loc"])
        try:
            partial = model.model_validate({k: v for k, v in value.items() if k not in dropped})
        except ValidationError:
            return None, dropped
        return partial, dropped


def _head(field: str, prefix: str) -> str:
    """The key inside a block that a problem's field (starting with `prefix`) names."""
    rest = field[len(prefix) :]
    return re.split(r"[.\[]", rest, maxsplit=1)[0]
