"""Convert each resource's properties once per request in the pack, not once per rule.

The policy SDK's Analyzer service turns a resource's protobuf properties into Python values
(`json_format.MessageToDict`, `deserialize_properties`, `unknown_checking_proxy`) again for
every rule of the pack, whichever types the rule looks at; with some 50 rules that is most of
what `pulumi preview --policy-pack` spends in the pack. `install()` gives the SDK's module
memoised versions of those three names: the same message object (the protobuf runtime hands
out one object per message while it is referenced) converts once, and every rule of the
request reads the same values. Rules only read what they are given, so sharing is safe; a
conversion the SDK asks for with other arguments (remediation's secret-preserving proxies) goes
to the SDK's own function. When the SDK lacks one of the names, nothing is replaced.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from types import ModuleType
from typing import Any

HELD = 4096
"""Conversions kept per thread: a whole stack's resources, for the stack rules' passes."""


class _Memo:
    """The last `HELD` results of `convert`, by the identity of its argument, per thread."""

    def __init__(self, convert: Callable[..., Any]) -> None:
        self._convert = convert
        self._local = threading.local()

    def __call__(self, value: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return self._convert(value, *args, **kwargs)
        held: OrderedDict[int, tuple[Any, Any]] | None = getattr(self._local, "held", None)
        if held is None:
            held = self._local.held = OrderedDict()
        entry = held.get(id(value))
        if entry is not None and entry[0] is value:
            held.move_to_end(id(value))
            return entry[1]
        result = self._convert(value)
        held[id(value)] = (value, result)  # the argument is held, so its id is not reused
        if len(held) > HELD:
            held.popitem(last=False)
        return result


class _JsonFormat:
    """The protobuf `json_format` module with a memoised `MessageToDict`."""

    def __init__(self, module: ModuleType) -> None:
        self._module = module
        self.MessageToDict = _Memo(module.MessageToDict)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)


def install(sdk: ModuleType) -> bool:
    """Memoise the SDK Analyzer's conversions in `sdk` (`pulumi_policy.policy`); once."""
    names = ("json_format", "deserialize_properties", "unknown_checking_proxy")
    if getattr(sdk, "_mlops_conversions_memoised", False):
        return True
    if not all(hasattr(sdk, name) for name in names):
        return False
    setattr(sdk, "json_format", _JsonFormat(sdk.json_format))  # noqa: B010 - no stub has it
    for name in names[1:]:
        setattr(sdk, name, _Memo(getattr(sdk, name)))
    setattr(sdk, "_mlops_conversions_memoised", True)  # noqa: B010 - likewise
    return True
