"""YAML as the Pulumi engine reads a stack file, and the mistakes YAML itself would hide.

PyYAML keeps the last of two equal keys silently and turns `2024-05-01` into a date that no
config value can hold. The engine reads a timestamp as the text written, so this loader does
too; a key given twice, or a key that is not text, is refused naming the key and its lines.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

_MERGE = "tag:yaml.org,2002:merge"


class StackFileError(ValueError):
    """Mistakes in the YAML of one file; `problems` holds one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        """Each mistake: the key, where it is and what to do instead."""
        super().__init__("; ".join(problems))


class _Checks(yaml.constructor.SafeConstructor):
    """A safe constructor that records duplicate and non-text keys instead of hiding them."""

    problems: list[str]

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping, noting every key given twice and every key that is not text."""
        if isinstance(node, MappingNode):
            self._check_keys(node)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)  # type: ignore[arg-type]
        return mapping

    def _check_keys(self, node: MappingNode) -> None:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE:
                continue
            line = key_node.start_mark.line + 1
            key = self.construct_object(key_node)
            if not isinstance(key, str):
                self.problems.append(
                    f"line {line}: key {key_node.value} is a {_kind(key)}, not text; "
                    f'quote it ("{key_node.value}")'
                )
            first = seen.setdefault(key_node.value, line)
            if first != line:
                self.problems.append(
                    f"key {key_node.value!r} is given twice, at lines {first} and {line}; "
                    "YAML would keep only the last: remove one"
                )

    def timestamp_as_written(self, node: Node) -> str:
        """A date or time stays the text written, as the engine reads it (`2024-05-01`)."""
        return str(self.construct_scalar(node))  # type: ignore[arg-type]


_Checks.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:timestamp", _Checks.timestamp_as_written
)


class _PyLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,
                yaml.composer.Composer, _Checks, yaml.resolver.Resolver):  # fmt: skip
    """PyYAML's own parser, whose words describe a file that is not YAML."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Checks.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.problems = []


_LOADERS: list[type[Any]] = [_PyLoader]
if hasattr(yaml, "CParser"):

    class _FastLoader(yaml.CParser, _Checks, yaml.resolver.Resolver):  # type: ignore[misc,name-defined]
        """libyaml's parser (several times faster), with the same checks."""

        def __init__(self, stream: str) -> None:
            yaml.CParser.__init__(self, stream)  # type: ignore[attr-defined]
            _Checks.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.problems = []

    _LOADERS.insert(0, _FastLoader)


def _kind(value: object) -> str:
    return {bool: "boolean", int: "number", float: "number"}.get(type(value), type(value).__name__)


def load(text: str) -> Any:
    """The document in `text`; raises `StackFileError` listing every duplicate or odd key.

    Raises `yaml.YAMLError` when the text is not YAML at all (in PyYAML's own words).
    """
    for index, kind in enumerate(_LOADERS):
        loader = kind(text)
        try:
            document = loader.get_single_data()
        except yaml.YAMLError:
            if index == len(_LOADERS) - 1:
                raise
            continue
        finally:
            loader.dispose()
        if loader.problems:
            raise StackFileError(loader.problems)
        return document
    raise AssertionError("unreachable: the last loader raises or returns")
