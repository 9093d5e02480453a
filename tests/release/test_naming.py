"""Names derived from the stack, outputs that override them, and execution names."""

from __future__ import annotations

from mlops_platform.release.naming import (
    execution_arn,
    execution_name,
    from_outputs,
    stack_resources,
)

PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud/5"


def test_names_derive_from_the_stack() -> None:
    names = stack_resources("prod")
    assert (names.state_machine, names.ledger_table, names.lock_table) == (
        "mlops-prod-promotion",
        "mlops-prod-ledger",
        "mlops-prod-locks",
    )


def test_outputs_override_the_derived_names() -> None:
    arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:promo-a1b2c3d"
    names = from_outputs(
        "prod", {"promotion_state_machine_arn": arn, "ledger_table_name": "ledger-x1"}
    )
    assert (names.state_machine, names.state_machine_arn) == ("promo-a1b2c3d", arn)
    assert (names.ledger_table, names.lock_table) == ("ledger-x1", "mlops-prod-locks")


def test_execution_name_is_deterministic_and_distinct_per_request() -> None:
    name = execution_name("promote", "prod", "fraud-detector", PACKAGE, "attempt-1")
    assert name == execution_name("promote", "prod", "fraud-detector", PACKAGE, "attempt-1")
    assert name.startswith("promote-fraud-detector-v5-")
    others = {
        execution_name("promote", "staging", "fraud-detector", PACKAGE, "attempt-1"),
        execution_name("promote", "prod", "fraud-detector", PACKAGE, "attempt-2"),
        execution_name("rollback", "prod", "fraud-detector", PACKAGE, "attempt-1"),
    }
    assert name not in others
    assert len(others) == 3


def test_execution_name_fits_step_functions() -> None:
    name = execution_name("promote", "prod", "a" * 90 + "/x y", PACKAGE)
    assert len(name) == 80
    assert set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789-_")


def test_execution_arn() -> None:
    machine = "arn:aws:states:us-east-1:123456789012:stateMachine:mlops-prod-promotion"
    assert execution_arn(machine, "n") == (
        "arn:aws:states:us-east-1:123456789012:execution:mlops-prod-promotion:n"
    )
