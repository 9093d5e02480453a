"""Field documentation for `help()`: attribute docstrings read from the source at import.

Python keeps a docstring under a dataclass field nowhere at run time; `documented` reads them
from the class's source and appends an `Attributes:` section to the class docstring.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import TypeVar

_T = TypeVar("_T", bound=type)


def field_docs(cls: type) -> dict[str, str]:
    """Each field's docstring (the string right under it), by field name, in source order."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    body = ast.parse(source).body[0]
    if not isinstance(body, ast.ClassDef):
        return {}
    docs: dict[str, str] = {}
    for statement, following in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


def documented(cls: _T) -> _T:
    """Append the fields' docstrings to `cls.__doc__` as a google-style `Attributes:` section."""
    docs = field_docs(cls)
    if docs:
        lines = [f"    {name}: " + text.replace("\n", "\n        ") for name, text in docs.items()]
        cls.__doc__ = f"{inspect.cleandoc(cls.__doc__ or '')}\n\nAttributes:\n" + "\n".join(lines)
    return cls
