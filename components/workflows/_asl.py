"""Small builders of Amazon States Language states (JSONPath), shared by both workflows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

State = dict[str, Any]

TRANSIENT_ERRORS = (
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "Throttled",
)
"""Errors worth retrying: Lambda service trouble and throttling (a handler raises `Throttled`)."""

SNS_TRANSIENT_ERRORS = ("SNS.ThrottledException", "SNS.InternalErrorException", "States.TaskFailed")
"""Errors worth retrying on an SNS publish."""

ERROR_PATH = "$.ctx.error"
"""Where a Catch puts `{Error, Cause}`; the compensating path reads it from there."""


@dataclass(frozen=True)
class RetryPolicy:
    """Retry of transient errors on every Task."""

    interval_seconds: int = 2
    """First wait; defaults to 2 s. Tests use 1 to stay fast (moto really sleeps)."""
    max_attempts: int = 3
    """Retries after the first try."""
    backoff_rate: float = 2.0
    """Multiplier between waits."""

    def retriers(self, errors: Sequence[str] = TRANSIENT_ERRORS) -> list[dict[str, Any]]:
        """The `Retry` field for `errors`."""
        return [
            {
                "ErrorEquals": list(errors),
                "IntervalSeconds": self.interval_seconds,
                "MaxAttempts": self.max_attempts,
                "BackoffRate": self.backoff_rate,
            }
        ]


def catch(
    next_state: str, errors: Sequence[str] = ("States.ALL",), result_path: str | None = ERROR_PATH
) -> dict[str, Any]:
    """One Catch entry sending `errors` to `next_state` with the error at `result_path`."""
    return {"ErrorEquals": list(errors), "Next": next_state, "ResultPath": result_path}


def lambda_task(
    function_arn: str,
    parameters: Mapping[str, Any],
    *,
    next_state: str | None,
    result_path: str | None,
    on_error: str,
    retry: RetryPolicy,
    catches: Sequence[dict[str, Any]] = (),
    comment: str = "",
) -> State:
    """A Task invoking a function directly (its result is the handler's return value).

    Args:
        function_arn: ARN of the Lambda function.
        parameters: The event, with `.$` keys for paths.
        next_state: Following state; None ends the execution.
        result_path: Where the result goes; None discards it.
        on_error: Where any error not caught by `catches` goes. When it is `next_state` the
            step is best effort: its error is discarded, so the one a compensating path is
            recording stays at `ERROR_PATH`.
        retry: Retry of transient errors.
        catches: Catch entries tried before the catch-all.
        comment: What the step does.
    """
    state: State = {
        "Type": "Task",
        "Resource": function_arn,
        "Parameters": dict(parameters),
        "ResultPath": result_path,
        "Retry": retry.retriers(),
        "Catch": [*catches, catch(on_error, result_path=_error_path(on_error, next_state))],
    }
    if comment:
        state["Comment"] = comment
    return _link(state, next_state)


def publish(topic_arn: str, subject: str, next_state: str, retry: RetryPolicy) -> State:
    """An SNS publish of a one-line notice naming target, environment, actor and execution.

    Best effort: a publish that still fails after its retries goes on to `next_state`, so a
    broken topic cannot leave a compensating path unfinished.
    """
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::sns:publish",
        "Parameters": {
            "TopicArn": topic_arn,
            "Subject": subject[:100],
            "Message.$": f"States.Format('{subject}: {{}} in {{}} by {{}} ({{}})', "
            "$.target, $.env, $.actor, $$.Execution.Id)",
        },
        "ResultPath": None,
        "Retry": retry.retriers(SNS_TRANSIENT_ERRORS),
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": next_state, "ResultPath": None}],
        "Next": next_state,
    }


def wait(seconds_path: str, next_state: str) -> State:
    """A Wait whose length comes from the input."""
    return {"Type": "Wait", "SecondsPath": seconds_path, "Next": next_state}


def is_true(variable: str, next_state: str) -> dict[str, Any]:
    """A Choice rule: `variable` is the boolean true (flat values only)."""
    return {"Variable": variable, "BooleanEquals": True, "Next": next_state}


def choice(rules: Sequence[dict[str, Any]], default: str) -> State:
    """A Choice state."""
    return {"Type": "Choice", "Choices": list(rules), "Default": default}


def fail_from_context() -> State:
    """A Fail whose error and cause are the ones the compensating path recorded."""
    return {"Type": "Fail", "ErrorPath": f"{ERROR_PATH}.Error", "CausePath": f"{ERROR_PATH}.Cause"}


def set_error(error: str, cause: str, next_state: str) -> State:
    """A Pass recording a named error for the compensating path."""
    return {
        "Type": "Pass",
        "Result": {"Error": error, "Cause": cause},
        "ResultPath": ERROR_PATH,
        "Next": next_state,
    }


def _error_path(on_error: str, next_state: str | None) -> str | None:
    return None if on_error == next_state else ERROR_PATH


def _link(state: State, next_state: str | None) -> State:
    if next_state is None:
        state["End"] = True
    else:
        state["Next"] = next_state
    return state
