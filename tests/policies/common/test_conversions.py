"""The pack converts each resource once per request: same message, same values, for every rule."""

from __future__ import annotations

import types
from typing import Any

import pulumi_policy.policy
from google.protobuf import json_format, struct_pb2

import mlops_platform.policies.common.rule  # noqa: F401 - what the pack imports
from mlops_platform.policies.common import _conversions


def struct(values: dict[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    json_format.ParseDict(values, message)
    return message


def test_the_sdk_of_the_pack_is_memoised() -> None:
    assert pulumi_policy.policy._mlops_conversions_memoised  # type: ignore[attr-defined]
    message = struct({"a": 1})
    convert = pulumi_policy.policy.json_format.MessageToDict
    first = convert(message)
    assert convert(message) is first
    assert convert(struct({"a": 1})) is not first
    assert first == {"a": 1.0}


def test_other_arguments_go_to_the_sdks_own_function() -> None:
    calls: list[tuple[Any, ...]] = []
    memo = _conversions._Memo(lambda value, *args: calls.append((value, *args)) or len(calls))
    value = object()
    assert (memo(value), memo(value), memo(value, True), memo(value, True)) == (1, 1, 2, 3)


def test_only_the_last_conversions_are_held() -> None:
    memo = _conversions._Memo(lambda value: [value])
    values = [object() for _ in range(_conversions.HELD + 1)]
    results = [memo(value) for value in values]
    assert memo(values[-1]) is results[-1]
    assert memo(values[0]) is not results[0]  # evicted, converted again


def test_an_sdk_without_the_names_is_left_alone() -> None:
    sdk = types.ModuleType("other_sdk")
    sdk.json_format = json_format  # type: ignore[attr-defined]
    assert not _conversions.install(sdk)
    assert sdk.json_format is json_format  # type: ignore[attr-defined]
