"""The offline check end to end: plan files through the rules in this process and through the
pack's real Analyzer gRPC service, which must agree on every case."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from mlops_platform.policy_check import check as policy_check
from mlops_platform.policy_check.analyzer import PackError, running_pack
from mlops_platform.policy_check.plan_reader import read_plan
from tests.mlops_platform.plans import resource, stack_urn, urn, write_plan

INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
SSH = {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0", "tags": {}}
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def run(*plans: Path, **options: Any) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = policy_check.run(list(plans), out=out, err=err, **options)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def violating_plan(tmp_path: Path) -> Path:
    """A dev plan with a security group rule that opens SSH to the internet."""
    return write_plan(tmp_path / "dev.json", "dev", [resource("dev", INGRESS, "ssh", SSH)])


BOTH_PATHS = pytest.mark.parametrize("via_analyzer", [False, True], ids=["in-process", "analyzer"])
"""Cases that run through both paths of the check."""


@pytest.mark.parametrize(
    ("stack", "expected"),
    [
        # dev takes new model versions all at once, on purpose, and protects no data (the
        # pipeline's dedupe table and the workflow tables, ledger and locks, included); prod's
        # config forbids both. Its public access list is a documentation-range placeholder.
        (
            "dev",
            [
                ("advisory", "aws-dynamodb-table-deletion-protection"),
                ("advisory", "aws-eks-cluster-placeholder-cidrs"),
                ("advisory", "aws-sagemaker-endpoint-safe-rollout"),
                *[("advisory", "aws-dynamodb-table-deletion-protection")] * 2,
            ],
        ),
        ("staging", []),
        ("prod", []),
    ],
)
def test_the_committed_stacks_have_no_mandatory_violation(
    committed_plan_paths: dict[str, Path], stack: str, expected: list[tuple[str, str]]
) -> None:
    found = policy_check.check_plan(committed_plan_paths[stack], policy_check.default_pack_dir())
    assert [(v.level, v.policy) for v in found] == expected


@BOTH_PATHS
def test_violations_are_reported_as_text_and_exit_1(
    violating_plan: Path, via_analyzer: bool
) -> None:
    code, out, err = run(violating_plan, via_analyzer=via_analyzer)
    ssh = urn("dev", INGRESS, "ssh")
    assert code == 1
    assert out.splitlines() == [
        f"MANDATORY aws-ec2-security-group-no-public-admin-ingress {ssh}: the rule has port 22 "
        "open to 0.0.0.0/0; restrict it to known networks",
        f"MANDATORY aws-governance-resource-required-tags {ssh}: missing required tags "
        "Environment, Owner, CostCentre, ManagedBy, Project; pass the stack's common tags",
        f"MANDATORY aws-cloudtrail-trail-present {stack_urn('dev')}: the stack has no CloudTrail "
        "trail; add a multi-region trail",
    ]
    assert err == f"{violating_plan}: 3 mandatory, 0 advisory\n"


@BOTH_PATHS
def test_json_output_lists_policy_level_urn_and_message(
    violating_plan: Path, via_analyzer: bool
) -> None:
    code, out, _ = run(violating_plan, output="json", via_analyzer=via_analyzer)
    assert code == 1
    first = json.loads(out)[0]
    assert first == {
        "policy": "aws-ec2-security-group-no-public-admin-ingress",
        "level": "mandatory",
        "urn": urn("dev", INGRESS, "ssh"),
        "message": "the rule has port 22 open to 0.0.0.0/0; restrict it to known networks",
    }


NO_TRAIL_YET = {"aws-cloudtrail-trail-present": "advisory"}
"""The trail rule made advisory, so the plan without a trail shows an advisory finding."""


def config_file(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@BOTH_PATHS
def test_a_config_can_make_a_rule_advisory(
    violating_plan: Path, tmp_path: Path, via_analyzer: bool
) -> None:
    config = config_file(
        tmp_path,
        {
            **NO_TRAIL_YET,
            "aws-ec2-security-group-no-public-admin-ingress": "advisory",
            "aws-governance-resource-required-tags": {"enforcementLevel": "disabled"},
        },
    )
    code, out, _ = run(violating_plan, config=config, via_analyzer=via_analyzer)
    assert code == 0
    assert [line.split()[:2] for line in out.splitlines()] == [
        ["ADVISORY", "aws-ec2-security-group-no-public-admin-ingress"],
        ["ADVISORY", "aws-cloudtrail-trail-present"],
    ]


@BOTH_PATHS
def test_all_sets_every_level(violating_plan: Path, tmp_path: Path, via_analyzer: bool) -> None:
    code, out, _ = run(
        violating_plan,
        config=config_file(tmp_path, {"all": "advisory"}),
        via_analyzer=via_analyzer,
    )
    assert code == 0
    assert {line.split()[0] for line in out.splitlines()} == {"ADVISORY"}


@BOTH_PATHS
def test_parameters_reach_the_rules(
    violating_plan: Path, tmp_path: Path, via_analyzer: bool
) -> None:
    config = config_file(
        tmp_path,
        {
            **NO_TRAIL_YET,
            "aws-ec2-security-group-no-public-admin-ingress": {"adminPorts": [3389]},
            "aws-governance-resource-required-tags": {"requiredTags": []},
        },
    )
    code, out, _ = run(violating_plan, config=config, via_analyzer=via_analyzer)
    assert (code, len(out.splitlines())) == (0, 1)


@BOTH_PATHS
def test_a_value_unknown_during_preview_is_advisory_not_a_crash(
    tmp_path: Path, via_analyzer: bool
) -> None:
    endpoint = {
        "deploymentConfig": {
            "blueGreenUpdatePolicy": {"trafficRoutingConfiguration": {"type": UNKNOWN}},
            "autoRollbackConfiguration": {"alarms": [{"alarmName": "a"}]},
        },
        "tags": {},
    }
    plan = write_plan(
        tmp_path / "prod.json", "prod", [resource("prod", ENDPOINT, "serve", endpoint)]
    )
    config = config_file(
        tmp_path,
        {
            **NO_TRAIL_YET,
            "aws-governance-resource-required-tags": "disabled",
            "aws-sagemaker-endpoint-rollback-alarms-exist": "disabled",
        },
    )
    code, out, _ = run(plan, config=config, via_analyzer=via_analyzer)
    assert code == 0
    assert (
        f"ADVISORY aws-sagemaker-endpoint-safe-rollout {urn('prod', ENDPOINT, 'serve')}: can't run "
        "policy 'aws-sagemaker-endpoint-safe-rollout' from policy pack 'mlops-platform@v0.0.1' "
        "during preview: string value at .deploymentConfig.blueGreenUpdatePolicy."
        "trafficRoutingConfiguration.type can't be known during preview"
    ) in out.splitlines()


BAD_INPUT = [
    (
        "plan.json",
        "{",
        "not valid JSON at line 1 column 2: Expecting property name enclosed in double quotes",
    ),
    ("plan.json", "[]", "expected a JSON object, found list"),
    (
        "plan.json",
        '{"version": 2}',
        "plan format version 2 is not supported; this mlops reads version 1 "
        "(re-run `mlops preview`)",
    ),
    (
        "plan.json",
        '{"version": 1, "project": "p", "stack": "dev", "resources": [{"urn": 3}]}',
        "resources[0].urn: Input should be a valid string (and 11 more problems)",
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "message"), BAD_INPUT, ids=["json", "list", "version", "shape"]
)
def test_a_malformed_plan_is_refused(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert run(path) == (2, "", f"mlops policy-check: {path}: {message}\n")


def test_a_missing_plan(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    assert run(path) == (2, "", f"mlops policy-check: {path}: no such file\n")


def test_an_unknown_stack_without_config(tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "qa.json", "qa", [])
    expected = policy_check.default_pack_dir() / "config" / "qa.json"
    assert run(plan) == (
        2,
        "",
        f"mlops policy-check: {plan}: stack 'qa' has no policy config ({expected} does not "
        "exist); pass --policy-config FILE\n",
    )


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (
            {"aws-kms-key-rotation": {"maxRotationPeriodDays": "yearly"}},
            "policy 'aws-kms-key-rotation': maxRotationPeriodDays: 'yearly' is not of type "
            "'integer'",
        ),
        (
            {"aws-kms-key-rotation": {"maxRotationPeriodDays": 30}},
            "policy 'aws-kms-key-rotation': maxRotationPeriodDays: 30 is less than the minimum "
            "of 90",
        ),
        (
            {"aws-kms-key-rotation": {"rotation": 90}},
            "policy 'aws-kms-key-rotation': Additional properties are not allowed ('rotation' "
            "was unexpected)",
        ),
        ({"aws-kms-key-rotaton": "advisory"}, "'aws-kms-key-rotaton' is not a policy of this pack"),
        (
            {"aws-kms-key-rotation": "strict"},
            "policy 'aws-kms-key-rotation': enforcementLevel: 'strict' is not one of "
            "['advisory', 'mandatory', 'remediate', 'disabled']",
        ),
        (
            {"all": "loud"},
            "all: 'loud' is not an enforcement level (advisory, mandatory, remediate, disabled)",
        ),
        (
            {"aws-kms-key-rotation": 3},
            "policy 'aws-kms-key-rotation': expected an enforcement level or an object",
        ),
    ],
    ids=["type", "minimum", "unknown-parameter", "unknown-policy", "level", "all", "shape"],
)
def test_a_config_that_does_not_match_the_schemas(
    violating_plan: Path, tmp_path: Path, document: dict[str, Any], problem: str
) -> None:
    config = config_file(tmp_path, document)
    assert run(violating_plan, config=config) == (
        2,
        "",
        f"mlops policy-check: {config}: {problem}\n",
    )


def test_a_config_that_is_not_json(violating_plan: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text("{", encoding="utf-8")
    code, out, err = run(violating_plan, config=config)
    assert (code, out) == (2, "")
    assert err.startswith(f"mlops policy-check: {config}: not valid JSON at line 1")


def test_nothing_is_printed_when_a_later_plan_is_bad(violating_plan: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    code, out, _ = run(violating_plan, bad)
    assert (code, out) == (2, "")


def test_a_directory_that_is_not_a_pack(violating_plan: Path, tmp_path: Path) -> None:
    code, out, err = run(violating_plan, pack_dir=tmp_path, config=config_file(tmp_path, {}))
    assert (code, out, err) == (
        2,
        "",
        f"mlops policy-check: {tmp_path}: not a policy pack (no PulumiPolicy.yaml)\n",
    )


def test_a_pack_that_fails_to_start(violating_plan: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\n", encoding="utf-8")
    (pack / "__main__.py").write_text("raise SystemExit('the pack is broken')\n", encoding="utf-8")
    code, out, err = run(violating_plan, pack_dir=pack, config=config_file(tmp_path, {}))
    assert (code, out) == (2, "")
    assert err == "mlops policy-check: the policy pack failed to start: the pack is broken\n"


def test_the_pack_process_is_stopped_even_when_the_caller_fails(violating_plan: Path) -> None:
    started: list[int] = []

    def use_the_pack_then_fail() -> None:
        with running_pack(policy_check.default_pack_dir(), read_plan(violating_plan)) as pack:
            started.append(pack.pid)
            assert pack.policies()
            raise RuntimeError("caller failed")

    with pytest.raises(RuntimeError, match="caller failed"):
        use_the_pack_then_fail()
    with pytest.raises(ProcessLookupError):
        os.kill(started[0], 0)


def test_the_pack_refuses_a_missing_directory(violating_plan: Path, tmp_path: Path) -> None:
    with (
        pytest.raises(PackError, match="not a policy pack"),
        running_pack(tmp_path / "x", read_plan(violating_plan)),
    ):
        pass
