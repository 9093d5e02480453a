"""The registry trigger on moto: one run per approved package, none for anything else."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from botocore.exceptions import ClientError

from mlops_platform.lambdas.registry_trigger import handler as trigger
from mlops_platform.lambdas.registry_trigger.events import InvalidEventError
from mlops_platform.lambdas.registry_trigger.handler import handler
from tests.lambdas.registry_trigger.conftest import PIPELINE, Registry, model_data
from tests.lambdas.registry_trigger.sample_events import package_arn, package_event


def variables(run: dict[str, Any]) -> list[dict[str, str]]:
    return list(run["variables"])


def test_an_approved_package_starts_one_run_with_its_exact_arn(registry: Registry) -> None:
    result = handler(package_event("Approved", version=3), None)
    (run,) = registry.runs()
    assert result == {
        "package_arn": package_arn(3),
        "outcome": "started",
        "execution_id": run["pipelineExecutionId"],
    }
    assert variables(run) == [
        {"name": "PackageArn", "resolvedValue": package_arn(3)},
        {"name": "PackageVersion", "resolvedValue": "3"},
        {"name": "ModelDataUrl", "resolvedValue": model_data(3)},
    ]
    (claim,) = registry.claims()
    assert claim["package_arn"] == {"S": package_arn(3)}
    assert claim["execution_id"] == {"S": run["pipelineExecutionId"]}
    assert claim["pipeline"] == {"S": PIPELINE}


def test_a_duplicate_event_starts_no_second_run(registry: Registry) -> None:
    handler(package_event("Approved", event_id="e-1"), None)
    again = handler(package_event("Approved", event_id="e-2"), None)
    assert again == {"package_arn": package_arn(3), "outcome": "duplicate"}
    assert len(registry.runs()) == 1
    assert registry.claims()[0]["event_id"] == {"S": "e-1"}


def test_two_approved_versions_start_two_runs(registry: Registry) -> None:
    handler(package_event("Approved", version=3), None)
    handler(package_event("Approved", version=4), None)
    assert [variables(run)[0]["resolvedValue"] for run in registry.runs()] == [
        package_arn(3),
        package_arn(4),
    ]


@pytest.mark.parametrize("status", ["Rejected", "PendingManualApproval"])
def test_other_statuses_start_nothing(registry: Registry, status: str) -> None:
    assert handler(package_event(status), None) == {
        "package_arn": package_arn(3),
        "outcome": "ignored",
    }
    assert registry.runs() == []
    assert registry.claims() == []


def test_a_package_of_another_group_is_refused(registry: Registry) -> None:
    with pytest.raises(InvalidEventError) as error:
        handler(package_event("Approved", group="churn-model"), None)
    assert error.value.problems == (
        "detail.ModelPackageGroupName = 'churn-model': this pipeline delivers 'fraud-detector'",
    )
    assert registry.runs() == []


def test_a_failed_start_releases_the_claim_for_the_retry(registry: Registry) -> None:
    failure = ClientError({"Error": {"Code": "ThrottlingException"}}, "StartPipelineExecution")
    with (
        mock.patch("mlops_platform.lambdas.registry_trigger.handler._start", side_effect=failure),
        pytest.raises(ClientError),
    ):
        handler(package_event("Approved"), None)
    assert registry.claims() == []
    assert handler(package_event("Approved"), None)["outcome"] == "started"
    assert len(registry.runs()) == 1


def test_the_request_token_is_sent_and_stable(registry: Registry) -> None:
    """moto ignores clientRequestToken, so the call itself is checked."""
    codepipeline, _ = trigger._clients()
    with mock.patch.object(
        codepipeline, "start_pipeline_execution", wraps=codepipeline.start_pipeline_execution
    ) as start:
        handler(package_event("Approved"), None)
    token = start.call_args.kwargs["clientRequestToken"]
    assert len(token) == 64
    assert set(token) <= set("0123456789abcdef")
    assert start.call_args.kwargs["name"] == PIPELINE


def test_a_package_without_an_artifact_starts_nothing_and_keeps_no_claim(
    registry: Registry,
) -> None:
    with pytest.raises(ClientError):
        handler(package_event("Approved", version=9), None)  # not in the registry
    assert registry.runs() == []
    assert registry.claims() == []


def test_a_missing_setting_is_named(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEDUPE_TABLE")
    with pytest.raises(RuntimeError, match="environment variable DEDUPE_TABLE is not set"):
        handler(package_event("Approved"), None)
