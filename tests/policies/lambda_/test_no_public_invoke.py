from __future__ import annotations

from mlops_platform.policies.lambda_.no_public_invoke import FUNCTION_URL, PERMISSION, POLICY
from tests.policies.harness import check_resource

FROM_SNS = {
    "action": "lambda:InvokeFunction",
    "function": "notify",
    "principal": "sns.amazonaws.com",
    "sourceArn": "arn:aws:sns:us-east-1:123456789012:alerts",
}


def test_a_service_with_a_source_passes() -> None:
    assert check_resource(POLICY, PERMISSION, FROM_SNS) == []


def test_anyone_may_invoke() -> None:
    props = {**FROM_SNS, "principal": "*", "sourceArn": None}
    del props["sourceArn"]
    assert check_resource(POLICY, PERMISSION, props) == [
        "any principal may invoke the function; name the caller or set source_arn"
    ]


def test_anyone_pinned_to_an_account_passes() -> None:
    props = {"action": "lambda:InvokeFunction", "principal": "*", "sourceAccount": "123456789012"}
    assert check_resource(POLICY, PERMISSION, props) == []


def test_unauthenticated_function_url_permission() -> None:
    props = {**FROM_SNS, "functionUrlAuthType": "NONE"}
    assert check_resource(POLICY, PERMISSION, props) == [
        "the permission allows unauthenticated function URL calls; use 'AWS_IAM'"
    ]


def test_unauthenticated_function_url() -> None:
    assert check_resource(POLICY, FUNCTION_URL, {"authorizationType": "NONE"}) == [
        "the function URL takes unauthenticated calls; use authorization_type 'AWS_IAM'"
    ]
    assert check_resource(POLICY, FUNCTION_URL, {"authorizationType": "AWS_IAM"}) == []
