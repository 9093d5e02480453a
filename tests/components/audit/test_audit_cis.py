from __future__ import annotations

import json

import pytest

from mlops_platform.components.audit import cis as _cis

TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts"

# The benchmark's patterns (CIS AWS Foundations v1.4.0, section 4), written out in full once.
BENCHMARK = {
    "4.2": '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
    '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    "4.3": '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
    '$.eventType != "AwsServiceEvent" }',
    "4.4": "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||"
    "($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||"
    "($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||"
    "($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||"
    "($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||"
    "($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||"
    "($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}",
    "4.5": "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || "
    "($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
    "4.7": "{($.eventSource = kms.amazonaws.com) && "
    "(($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }",
    "4.10": "{ ($.eventName = AuthorizeSecurityGroupIngress) || "
    "($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || "
    "($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || "
    "($.eventName = DeleteSecurityGroup) }",
}


@pytest.mark.parametrize("control", _cis.CONTROLS, ids=lambda c: c.control)
def test_each_pattern_is_the_benchmarks(control: _cis.CisControl) -> None:
    assert control.pattern == BENCHMARK[control.control]


def test_every_watched_control_is_present_once() -> None:
    assert [c.control for c in _cis.CONTROLS] == list(BENCHMARK)
    assert len({c.key for c in _cis.CONTROLS}) == len({c.metric_name for c in _cis.CONTROLS}) == 6


def test_filters_publish_one_per_match_on_the_trail_group() -> None:
    filters = _cis.metric_filters("audit-trail")
    root = filters["root-usage"]
    assert root["log_group_name"] == "audit-trail"
    assert root["metric_transformation"] == {
        "name": "RootAccountUsage",
        "namespace": "mlops/CISBenchmark",
        "value": "1",
        "default_value": "0",
    }
    assert len({f["name"] for f in filters.values()}) == 6


def test_each_alarm_watches_its_filters_metric_and_notifies_the_topic() -> None:
    filters = _cis.metric_filters("audit-trail")
    alarms = json.loads(json.dumps(_cis.alarms(TOPIC, "prod")))
    assert set(alarms) == set(filters)
    for key, alarm in alarms.items():
        transformation = filters[key]["metric_transformation"]
        assert (alarm["namespace"], alarm["metric_name"]) == (
            transformation["namespace"],
            transformation["name"],
        )
        assert alarm["alarm_actions"] == [TOPIC]
        assert alarm["threshold"] == 1
        assert alarm["comparison_operator"] == "GreaterThanOrEqualToThreshold"
        assert alarm["name"].startswith("prod-cis-4.")
    assert alarms["root-usage"]["alarm_description"] == (
        "CIS 4.3: The account's root user made a request."
    )
