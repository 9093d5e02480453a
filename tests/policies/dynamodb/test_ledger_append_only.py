"""The ledger's writer may append only: the component's document passes, a change per case."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pulumi_policy import StackValidationArgs
from pulumi_policy.proxy import UnknownValueError

from mlops_platform.components.workflows.iam import ledger_writer_policy
from mlops_platform.policies.common.types import DYNAMODB_TABLE
from mlops_platform.policies.dynamodb.ledger_append_only import POLICY, ROLE, ROLE_POLICY
from tests.policies.harness import UNKNOWN, Stack, urn_of

TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/ledger"
LEDGER_TAGS = {"tags": {"mlops:purpose": "ledger"}}


def allow(*actions: str, resource: str = TABLE_ARN) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": list(actions), "Resource": resource}


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def stack(*policies: str, table: dict[str, Any] = LEDGER_TAGS) -> Stack:
    """A ledger, its writer role, and one role policy per document, each naming the table."""
    result = Stack()
    result.add(DYNAMODB_TABLE, "ledger", table)
    result.add(ROLE, "writer")
    for index, text in enumerate(policies):
        result.add(ROLE_POLICY, f"writer-{index}", {"policy": text, "role": "writer"},
                   deps={"policy": "ledger", "role": "writer"})  # fmt: skip
    return result


def test_the_components_writer_document_passes() -> None:
    assert stack(json.dumps(ledger_writer_policy(TABLE_ARN))).check(POLICY) == []


REWRITES = (
    "dynamodb:UpdateItem, dynamodb:DeleteItem, dynamodb:BatchWriteItem, dynamodb:PartiQLUpdate, "
    "dynamodb:PartiQLDelete"
)


@pytest.mark.parametrize(
    ("policies", "may"),
    [
        ([document(allow("dynamodb:PutItem", "dynamodb:UpdateItem"))], "dynamodb:UpdateItem"),
        ([document(allow("dynamodb:PutItem")), document(allow("dynamodb:DeleteItem"))],
         "dynamodb:DeleteItem"),
        ([document(allow("dynamodb:*"))], REWRITES),
        ([document(allow("dynamodb:DeleteItem", resource="*"))], "dynamodb:DeleteItem"),
    ],
    ids=["update", "delete in a second policy", "wildcard", "delete on every table"],
)  # fmt: skip
def test_a_writer_that_may_rewrite(policies: list[str], may: str) -> None:
    assert stack(*policies).check(POLICY) == [
        (
            f"Role 'writer' may {may} on the ledger (Table 'ledger'); grant its writer PutItem "
            "only and deny the rest",
            urn_of(ROLE, "writer"),
        )
    ]


def test_a_deny_in_another_policy_of_the_role_closes_the_rewrite() -> None:
    deny = {"Effect": "Deny", "Action": "dynamodb:UpdateItem", "Resource": TABLE_ARN}
    policies = [document(allow("dynamodb:PutItem", "dynamodb:UpdateItem")), document(deny)]
    assert stack(*policies).check(POLICY) == []


def test_a_table_that_is_not_a_ledger_is_not_looked_at() -> None:
    untagged = stack(document(allow("dynamodb:DeleteItem")), table={"tags": {}})
    assert untagged.check(POLICY) == []


def test_an_unknown_document_is_reported_after_the_known_ones() -> None:
    subject = stack(UNKNOWN, document(allow("dynamodb:DeleteItem")))
    found: list[str] = []
    with pytest.raises(UnknownValueError):
        POLICY.validate(
            StackValidationArgs(subject.resources, None),
            lambda message, urn=None: found.append(message),
        )
    assert [message.split(" may ")[1].split(" on ")[0] for message in found] == [
        "dynamodb:DeleteItem"
    ]
