"""Release records read by the program, the trigger's archive, the provider's pipeline shape."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from mlops_platform.components.delivery import provider_shape, releases
from mlops_platform.components.delivery.archive import trigger_archive
from mlops_platform.lambdas.common.events import InvalidEvent
from mlops_platform.lambdas.common.release import SEED_SOURCE, ReleaseRecord

TARGET = "fraud-detector"
INVOKE = {"category": "Invoke", "owner": "AWS", "provider": "StepFunctions", "version": "1"}
ALARM_RULE = {"category": "Rule", "owner": "AWS", "provider": "CloudWatchAlarm", "version": "1"}


def first() -> str:
    return releases.first_record(
        endpoint_name="fraud-detector", variant="blue", package_arn=None,
        image="123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:1.5.0",
        model_data="s3://models/fraud/1.5.0/model.tar.gz", instance_count=2, weight=1.0,
        image_digest="sha256:" + "1" * 64, commit="0a1b2c3",
    )  # fmt: skip


def test_the_first_record_is_a_whole_release_record() -> None:
    record = ReleaseRecord.parse(json.loads(first()))
    assert (record.version, record.image_digest, record.commit) == (
        1, "sha256:" + "1" * 64, "0a1b2c3",
    )  # fmt: skip
    assert record.extra == {"written_by": "platform", "source": releases.FIRST_VERSION}
    assert record.is_seed
    assert releases.FIRST_VERSION == SEED_SOURCE


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"extra": {}}, "package_arn = '': must be a non-empty string"),
        ({"image_digest": ""}, "image_digest = '': must be a non-empty string"),
        ({"commit": ""}, "commit = '': must be a non-empty string"),
    ],
)
def test_only_the_seed_may_lack_a_package_and_nothing_else(
    changes: dict[str, object], expected: str
) -> None:
    with pytest.raises(InvalidEvent) as raised:
        ReleaseRecord.parse({**json.loads(first()), **changes})
    assert [str(p) for p in raised.value.problems] == [expected]


def test_the_first_record_reads_back_as_the_stack_files_version() -> None:
    release = releases.parse_record(
        first(), target=TARGET, endpoint="fraud-detector", variant="blue"
    )
    assert release == releases.Release(
        target=TARGET,
        version=1,
        package_arn=None,
        image="123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:1.5.0",
        model_data="s3://models/fraud/1.5.0/model.tar.gz",
        source=releases.RECORD,
    )


def test_a_package_of_another_environments_registry_of_the_same_model_is_served() -> None:
    arn = "arn:aws:sagemaker:us-east-1:111122223333:model-package/dev-fraud-detector-0a1b2c3d/4"
    only_package = {"package_arn": arn, "version": 4, "model_data_url": ""}
    record = {**json.loads(first()), **only_package}
    release = releases.parse_record(
        json.dumps(record), target=TARGET, endpoint="fraud-detector", variant="blue"
    )
    assert (release.package_arn, release.image, release.version) == (arn, None, 4)
    assert release.package_image == "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:1.5.0"
    assert releases.repository_arn(release.package_image) == (
        "arn:aws:ecr:us-east-1:123456789012:repository/fraud"
    )


def test_a_record_with_an_image_and_artifact_serves_them_and_keeps_the_package_as_lineage() -> None:
    arn = "arn:aws:sagemaker:us-east-1:111122223333:model-package/dev-fraud-detector-0a1b2c3d/4"
    record = {**json.loads(first()), "package_arn": arn, "version": 4}
    release = releases.parse_record(
        json.dumps(record), target=TARGET, endpoint="fraud-detector", variant="blue"
    )
    assert (release.package_arn, release.version) == (arn, 4)
    assert release.image == "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:1.5.0"
    assert release.model_data == record["model_data_url"]
    assert release.package_image is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "not json",
            "release record of 'fraud-detector' = 'not json': not JSON (Expecting value)",
        ),
        ("[1]", "release record of 'fraud-detector' = '[1]': must be a JSON object"),
    ],
)
def test_a_record_that_is_no_object_is_refused(text: str, expected: str) -> None:
    with pytest.raises(ValueError, match=r".*") as raised:
        releases.parse_record(text, target=TARGET, endpoint="fraud-detector", variant="blue")
    assert str(raised.value) == expected


def test_the_trigger_archive_is_the_same_bytes_every_time_and_holds_only_its_package() -> None:
    assert trigger_archive() == trigger_archive()
    with zipfile.ZipFile(io.BytesIO(trigger_archive())) as archive:
        names = archive.namelist()
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert names == sorted(names)
    assert names == [
        "lambdas/__init__.py",
        "lambdas/registry_trigger/__init__.py",
        "lambdas/registry_trigger/events.py",
        "lambdas/registry_trigger/handler.py",
    ]


def test_the_provider_shape_keeps_every_action_and_condition() -> None:
    stage = {
        "name": "prod",
        "actions": [
            {
                "name": "Deploy",
                "actionTypeId": INVOKE,
                "configuration": {"StateMachineArn": "arn:sm"},
                "runOrder": 2,
                "roleArn": "arn:role",
                "inputArtifacts": [{"name": "SourceOutput"}],
            }
        ],
        "onFailure": {"result": "ROLLBACK"},
        "onSuccess": {
            "conditions": [
                {
                    "result": "ROLLBACK",
                    "rules": [
                        {
                            "name": "AlarmAfterDeploy",
                            "ruleTypeId": ALARM_RULE,
                            "configuration": {"AlarmName": "a", "WaitTime": "30"},
                        }
                    ],
                }
            ]
        },
    }  # fmt: skip
    assert provider_shape.stage(stage) == {
        "name": "prod",
        "actions": [
            {
                "name": "Deploy", "category": "Invoke", "owner": "AWS", "provider": "StepFunctions",
                "version": "1", "configuration": {"StateMachineArn": "arn:sm"},
                "input_artifacts": ["SourceOutput"], "role_arn": "arn:role", "run_order": 2,
            }
        ],
        "on_success": {
            "condition": {
                "result": "ROLLBACK",
                "rules": [
                    {
                        "name": "AlarmAfterDeploy",
                        "rule_type_id": ALARM_RULE,
                        "configuration": {"AlarmName": "a", "WaitTime": "30"},
                    }
                ],
            }
        },
        "on_failure": {"result": "ROLLBACK"},
    }  # fmt: skip


def service_record(**changes: object) -> str:
    record = json.loads(
        releases.first_service_record(
            service="fraud-scorer", image="r.example/fraud-scorer:1.4.2",
            model_uri="s3://models/fraud-scorer/1.4.2/", image_digest="sha256:" + "2" * 64,
            commit="0a1b2c3",
        )
    )  # fmt: skip
    return json.dumps({**record, **changes})


def test_a_service_seed_is_a_release_record_and_reads_back_as_its_version() -> None:
    assert ReleaseRecord.parse(json.loads(service_record())).is_seed
    release = releases.parse_service_record(service_record(), service="fraud-scorer")
    assert (release.image, release.model_data, release.version) == (
        "r.example/fraud-scorer:1.4.2", "s3://models/fraud-scorer/1.4.2/", 1,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"version": 0}, "release record of 'fraud-scorer'.version = 0: a whole number, 1 or more"),
        ({"image": ""}, "release record of 'fraud-scorer'.image = '': a service needs its image"),
        ({"package_arn": "not-an-arn"},
         "release record of 'fraud-scorer'.package_arn = 'not-an-arn': not a model package "
         "version ARN"),
    ],
)  # fmt: skip
def test_a_bad_service_record_names_the_field(changes: dict[str, object], expected: str) -> None:
    with pytest.raises(ValueError, match="release record of 'fraud-scorer'") as raised:
        releases.parse_service_record(service_record(**changes), service="fraud-scorer")
    assert str(raised.value) == expected
