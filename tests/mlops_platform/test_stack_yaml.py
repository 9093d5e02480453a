"""Stack-file YAML read as the engine reads it, with the mistakes YAML would hide refused."""

from __future__ import annotations

import pytest

from mlops_platform.preview.stack_yaml import StackFileError, load


def test_a_date_stays_the_text_written() -> None:
    assert load("config:\n  mlops:tags:\n    Release: 2024-05-01\n") == {
        "config": {"mlops:tags": {"Release": "2024-05-01"}}
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n",
         ["key 'a' is given twice, at lines 1 and 5; YAML would keep only the last: remove one",
          "key 'c' is given twice, at lines 3 and 4; YAML would keep only the last: remove one"]),
        ("tags:\n  1: x\n  true: y\n",
         ['line 2: key 1 is a number, not text; quote it ("1")',
          'line 3: key true is a boolean, not text; quote it ("true")']),
    ],
)  # fmt: skip
def test_duplicate_and_non_text_keys_are_refused_with_their_lines(
    text: str, expected: list[str]
) -> None:
    with pytest.raises(StackFileError) as raised:
        load(text)
    assert raised.value.problems == expected
