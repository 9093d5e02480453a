"""`mlops:workflows`: defaults, the deploy role from the account, prod's approval rule."""

from __future__ import annotations

from typing import Any

import pytest

from infra.config import parse
from mlops_platform.components.workflows import ExecutionDefaults
from tests.infra.test_config import problems, stack_file

REPOSITORY = "https://github.com/acme/mlops-platform.git"


def workflows(**keys: Any) -> dict[str, Any]:
    return {"repository": REPOSITORY, "approvalRequired": True, **keys}


def test_unset_keys_take_the_defaults_and_the_deploy_role_is_the_accounts() -> None:
    account = {"id": "444455556666", "roleName": "mlops-deployer"}
    config = parse(stack_file(workflows=workflows(), account=account), region="us-east-1",
                   stack="prod")  # fmt: skip
    assert config.workflows is not None
    assert config.workflows.defaults == ExecutionDefaults(approval_required=True)
    assert config.workflows.deploy.branch == "main"
    assert config.workflows.deploy.deploy_role_arn == (
        "arn:aws:iam::444455556666:role/mlops-deployer"
    )
    assert config.workflows.log_retention_days == 365
    assert config.workflows.protect_data is True


def test_a_stack_without_the_block_has_no_workflows() -> None:
    assert parse(stack_file(), region="us-east-1", stack="prod").workflows is None


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (workflows(approvalRequired=False),
         ["mlops:workflows.approvalRequired = False: prod promotions need a person's approval; "
          "set it to true"]),
        ({"repository": REPOSITORY},
         ["mlops:workflows.approvalRequired = False: prod promotions need a person's approval; "
          "set it to true"]),
        (workflows(bakeChecks=0), ["mlops:workflows.bakeChecks = 0: 1-10000"]),
        (workflows(lockTtlSeconds=30), ["mlops:workflows.lockTtlSeconds = 30: 60-86400"]),
        (workflows(logRetentionDays=10),
         ["mlops:workflows.logRetentionDays = 10: CloudWatch Logs accepts 1, 3, 5, 7, 14, 30, "
          "60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"]),
    ],
    ids=["approval off", "approval unset", "bake checks", "lock ttl", "retention"],
)  # fmt: skip
def test_bad_workflow_settings_are_named(block: dict[str, Any], expected: list[str]) -> None:
    assert problems(stack_file(workflows=block)) == expected
