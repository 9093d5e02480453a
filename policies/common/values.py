"""Reading resource properties safely, whatever shape they arrive in.

A rule must never crash on a surprising value: a property may be missing, of another type than
the provider's schema says (a hand-written plan), or unknown because it is computed from another
resource during preview. Unknown values live behind the policy SDK's proxies, which raise
`UnknownValueError` when read; these helpers let that error through (the SDK turns it into an
advisory "can't run during preview" diagnostic), except `is_set`, which counts an unknown value as
set: a value computed from another resource will exist once that resource does. `known` and
`known_items` step over unknown values instead, so a rule still reports what it can see and then
raises the error with `raise_first`: the engine keeps the violations and adds its advisory.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy.proxy import UnknownValueError

PathKey = str | int


def is_list(value: Any) -> bool:
    """Whether `value` is a list (or the SDK's list proxy), not a string."""
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def as_list(value: Any) -> list[Any]:
    """`value` as a list: itself when it is one, `[value]` for a single value, `[]` for None."""
    if value is None:
        return []
    if is_list(value):
        return list(value)
    return [value]


def as_mapping(value: Any) -> Mapping[str, Any]:
    """`value` when it is a mapping; an empty mapping otherwise."""
    return value if isinstance(value, Mapping) else {}


def dig(value: Any, *path: PathKey) -> Any:
    """The value at `path` inside nested mappings and lists; None when a step is missing.

    A one-element list on the way is stepped into when the path names a key, because providers
    model single nested blocks as lists of one (`serverSideEncryptionConfigurations[0]`).
    """
    for key in path:
        if isinstance(key, int):
            items = as_list(value) if is_list(value) else []
            if not -len(items) <= key < len(items):
                return None
            value = items[key]
            continue
        if is_list(value) and len(value) == 1:
            value = value[0]
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value


def known(value: Any, *path: PathKey) -> tuple[Any, UnknownValueError | None]:
    """The value at `path` and None; or None and the error when it is unknown during preview.

    A rule that steps over an unknown value keeps checking what it can see, reports that, and
    raises the error at the end, so the engine adds its advisory to the violations found.
    """
    try:
        return dig(value, *path), None
    except UnknownValueError as error:
        return None, error


def known_items(value: Any) -> tuple[list[Any], UnknownValueError | None]:
    """The items of `value` known during preview (as `as_list`), and the first unknown's error."""
    if not is_list(value):
        return as_list(value), None
    items: list[Any] = []
    first: UnknownValueError | None = None
    for index in range(len(value)):
        try:
            items.append(value[index])
        except UnknownValueError as error:
            first = first or error
    return items, first


def raise_first(*errors: UnknownValueError | None) -> None:
    """Raise the first unknown-value error, once a rule has reported what it could see."""
    for error in errors:
        if error is not None:
            raise error


def is_set(mapping: Any, *path: PathKey) -> bool:
    """Whether the value at `path` is present and not empty; an unknown value counts as set."""
    try:
        value = dig(mapping, *path)
    except UnknownValueError:
        return True
    if value is None:
        return False
    if isinstance(value, str | Mapping) or is_list(value):
        return len(value) > 0
    return True


def is_true(value: Any) -> bool:
    """Whether `value` is true: the boolean, or the text "true" some providers use."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return value is True


def is_false(value: Any) -> bool:
    """Whether `value` is explicitly false: the boolean, or the text "false"."""
    if isinstance(value, str):
        return value.strip().lower() == "false"
    return value is False


def as_number(value: Any) -> float | None:
    """`value` as a number (the engine carries every number as a double); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def text_list(value: Any) -> list[str]:
    """The strings in `value` (a string or a list of them); other items are skipped."""
    return [item for item in as_list(value) if isinstance(item, str)]


def parse_json(value: Any) -> tuple[Any, bool]:
    """Parse a JSON document given as text (or already parsed); returns (document, ok).

    Policies reach the engine as JSON text; a mapping is accepted as already parsed.
    """
    if isinstance(value, Mapping):
        return value, True
    if not isinstance(value, str):
        return None, False
    try:
        return json.loads(value), True
    except json.JSONDecodeError:
        return None, False


def tags_of(props: Mapping[str, Any]) -> Mapping[str, Any]:
    """The resource's `tags` input, or an empty mapping."""
    return as_mapping(dig(props, "tags"))


def display(value: Any) -> str:
    """A short, stable rendering of a value for a violation message."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return repr(value)
    if is_list(value):
        return "[" + ", ".join(display(item) for item in value) + "]"
    return str(value)
