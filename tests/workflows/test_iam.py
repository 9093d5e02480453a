"""The roles' policy documents."""

from __future__ import annotations

from mlops_platform.components.workflows import iam

TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/ledger"
LOCKS = "arn:aws:dynamodb:us-east-1:123456789012:table/locks"


def actions(document: dict[str, object], effect: str = "Allow") -> set[str]:
    statements = document["Statement"]
    assert isinstance(statements, list)
    return {a for s in statements if s["Effect"] == effect for a in s["Action"]}


def test_ledger_writer_may_only_put() -> None:
    document = iam.ledger_writer_policy(TABLE)
    assert actions(document) == {"dynamodb:PutItem"}
    assert {"dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"} <= actions(
        document, "Deny"
    )


def test_state_machine_invokes_only_its_functions() -> None:
    arns = ["arn:aws:lambda:us-east-1:123456789012:function:lock"]
    document = iam.state_machine_policy(arns, "arn:aws:sns:us-east-1:123456789012:t")
    invoke = next(s for s in document["Statement"] if s["Sid"] == "InvokeFunctions")
    assert invoke["Resource"] == [arns[0], f"{arns[0]}:*"]
    assert "kms:Decrypt" not in actions(document)
    encrypted = iam.state_machine_policy(arns, "t", topic_key_arn="arn:aws:kms:us-east-1:1:key/k")
    assert "kms:GenerateDataKey" in actions(encrypted)


def test_lock_and_incident_writers_are_kept_to_their_keys() -> None:
    lock = iam.lock_function_policy(LOCKS)["Statement"][0]
    assert lock["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"] == ["lock#*"]
    watcher = iam.rollback_trigger_policy(LOCKS, ["arn:alarm"], "arn:param")
    assert "dynamodb:DeleteItem" not in actions(watcher)


def test_release_records_are_scoped_to_one_environment() -> None:
    arn = iam.release_parameter_arn("us-east-1", "123456789012", "prod")
    assert arn == "arn:aws:ssm:us-east-1:123456789012:parameter/mlops/prod/release/*"
    assert iam.verify_function_policy(arn, "us-east-1", "1")["Statement"][0]["Action"] == [
        "ssm:GetParameter"
    ]


def test_training_may_pass_its_role_only_to_sagemaker() -> None:
    document = iam.training_function_policy(
        data_arns=["arn:aws:s3:::data/*"],
        output_arn="arn:aws:s3:::models/*",
        training_role_arn="arn:aws:iam::1:role/train",
        region="us-east-1",
        account="1",
        package_group="fraud",
    )
    passing = next(s for s in document["Statement"] if s["Sid"] == "PassTrainingRole")
    assert passing["Condition"] == {
        "StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}
    }
    assert "*" not in {r for s in document["Statement"] for r in s["Resource"]}


def test_the_approval_reader_may_only_list_action_executions_of_its_envs_pipelines() -> None:
    document = iam.approval_function_policy("us-east-1", "123456789012", "prod")
    assert document["Statement"] == [
        {
            "Sid": "ReadPipelineApprovals",
            "Effect": "Allow",
            "Action": ["codepipeline:ListActionExecutions"],
            "Resource": ["arn:aws:codepipeline:us-east-1:123456789012:prod-*"],
        }
    ]
